"""A real Chromium (Debian's `chromium` with `chromium-driver`) driven by Selenium against `bgtc serve`
on loopback, for the web page's tests: the browser, the server, downloads and screenshots."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = "chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)"
BROWSER = pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None, reason=MISSING)
WAIT = 60  # seconds, for a page or a download on a loaded machine
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def chrome(downloads: Path) -> Any:
    """Headless Chromium through the Debian chromedriver (no driver is fetched), downloading into `downloads`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for browsers on the network
    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None and CHROMEDRIVER is not None
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # for the console: CSP violations
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(WAIT)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def wait_for(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    """The first true value of `condition`, polled; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def console_errors(driver: Any) -> list[str]:
    """The browser console's errors and warnings since the last call (a blocked style or script shows here)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def downloaded(directory: Path, suffix: str, before: set[Path]) -> Path:
    """The file with `suffix` that appeared in `directory` since `before`, once complete."""
    def done() -> Path | None:
        new = [p for p in directory.iterdir() if p not in before and p.suffix == suffix]
        return new[0] if new and not any(p.suffix == ".crdownload" for p in directory.iterdir()) else None

    return Path(wait_for(done, f"a {suffix} download"))


class Screenshots:
    """Each page at desktop and phone widths, the whole page long, as PNG under the test's tmp path."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def take(self, driver: Any, name: str) -> None:
        for size, (width, height) in SIZES.items():
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == "phone"})
            full = int(driver.execute_script("return document.documentElement.scrollHeight"))
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": min(max(full, height), 12000), "deviceScaleFactor": 1,
                "mobile": size == "phone"})
            driver.save_screenshot(str(self.directory / f"{name}-{size}.png"))
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def browser_session(tmp: Path) -> Iterator[tuple[Any, Path]]:
    downloads = tmp / "downloads"
    downloads.mkdir()
    driver = chrome(downloads)
    try:
        yield driver, downloads
    finally:
        driver.quit()
