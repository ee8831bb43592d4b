"""Runs every scenario of every feature file in this directory."""

from pytest_bdd import scenarios

scenarios(".")
