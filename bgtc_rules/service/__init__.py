"""The HTTP service (`bgtc serve`): the library's evaluations for tools that are not written in Python.

An interface beside the command line: it calls the advice and render layers as the CLI does and
answers with the same bytes. Starlette and uvicorn are imported only here, and only when serving.
"""
