"""The MkDocs plugin's one catch of errors, around each of its hooks.

A user error (`LvyinError`) stops MkDocs with its Chinese report, and under `lvyin serve` the
browser shows the catalogue's problems (the preview's `problems`); any other exception is a bug
and keeps its traceback, with a line saying so (`BUG_NOTE`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from mkdocs.exceptions import MkDocsException, PluginError

from generator.errors import BUG_NOTE, CatalogInvalid, LvyinError

log = logging.getLogger("mkdocs.plugins.lvyin")


def user_errors(hook: Callable[..., Any]) -> Callable[..., Any]:
    """`hook` (a method of the plugin) with user errors reported as MkDocs' `PluginError`."""

    @functools.wraps(hook)
    def caught(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return hook(self, *args, **kwargs)
        except LvyinError as error:
            if not isinstance(error, CatalogInvalid):
                raise PluginError(str(error)) from None
            if self.preview is not None:
                self.preview.problems = error
            raise PluginError("目录数据有错误，网站没有生成：\n" + error.report()) from None
        except MkDocsException:
            raise
        except Exception:
            log.error(BUG_NOTE)
            raise

    return caught
