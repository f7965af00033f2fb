"""Tests of the HTML edition in a real browser (headless Chromium through Playwright)."""
