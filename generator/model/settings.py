"""Site-wide settings that editors keep beside the catalogue: `catalog/site.yaml`.

A mapping (not a list): the site's name, its public address (feeds, QR codes,
calendar entries and share cards need absolute links), the organiser, contact and
ICP record number printed on schedules and in every page's footer, and whether
the data is a demo.  The file is optional; every field
has a default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from generator.errors import CatalogInvalid
from generator.model.fields import Text, WebUrl, fail
from generator.model.messages import validation_problems
from generator.source.reader import read_file
from generator.source.text import ReadError

SETTINGS_FILE = "site.yaml"
_TRUE = {"true", "yes", "on", "是"}
_FALSE = {"false", "no", "off", "否"}


def _flag(value: Any) -> bool:
    text = str(value).strip().lower() if value is not None else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise fail(f"“{value}”不是“是”或“否”", "请写 true（是）或 false（否）")


Flag = Annotated[bool, BeforeValidator(_flag)]


class SiteSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Text = Field(default="宝鸡市家庭教育公益大讲堂", title="网站名称", description="显示在每页顶部和浏览器标签上")
    url: WebUrl = Field(default="https://jtjy.example.cn/", title="网站地址", description="对外公开的网址，以 / 结尾；日历订阅、二维码和开放数据中的链接以它为准")
    organizer: Text = Field(default="宝鸡市妇女联合会　宝鸡市教育局", title="主办单位", description="打印课程表和页脚中的主办单位")
    contact: Text | None = Field(default=None, title="联系方式", description="网站信息纠错的联系电话或邮箱，显示在每页底部，例如 0917-3212345")
    icp: Text | None = Field(default=None, title="ICP 备案号", description="网站的 ICP 备案号，显示在每页底部并链接到工业和信息化部的备案查询网站，例如 陕ICP备12345678号-1")
    demo: Flag = Field(default=False, title="演示数据", description="true 时每页提示“本站展示的是演示数据”")

    @property
    def base_url(self) -> str:
        return self.url if self.url.endswith("/") else self.url + "/"

    def absolute(self, site_path: str) -> str:
        """The public address of a site path such as `lectures/abc/`."""
        return self.base_url + site_path.lstrip("/")


def load_settings(catalog: Path | str) -> SiteSettings:
    path = Path(catalog) / SETTINGS_FILE
    if not os.path.lexists(path):  # a link or a pipe named site.yaml is refused by read_file, not skipped
        return SiteSettings()
    try:
        doc = read_file(path, within=Path(catalog))
    except ReadError as error:
        raise CatalogInvalid(error.problems) from None
    if doc.data is None:
        return SiteSettings()
    if not isinstance(doc.data, dict):
        raise CatalogInvalid([doc.problem((), "", "site.yaml 应为若干“字段: 值”", "例如 name: 宝鸡市家庭教育公益大讲堂")])
    try:
        return SiteSettings.model_validate(doc.data)
    except ValidationError as error:
        raise CatalogInvalid(validation_problems(error, doc, (), SiteSettings, doc.data)) from None
