"""`lvyin`: validate the catalogue, build or serve the site, write the Markdown.

User errors (`LvyinError`) print `path:line:col: 错误: …` lines in Chinese and exit 1, never a
traceback; any other exception is a bug, shown with its traceback and `BUG_NOTE`.  `build` and `generate` write into a new folder next to the target
and swap it in only when everything succeeded (engine/swap.py), so a failed or killed
build leaves the previous output untouched.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import sys
import traceback
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from generator import env, workers
from generator.catalog.files import FileCache
from generator.catalog.kept_reads import KeptReads
from generator.catalog.load import load_catalog
from generator.cli.github import github_annotation
from generator.engine import progress
from generator.engine.options import BuildOptions, given
from generator.engine.swap import recover, swap_in
from generator.errors import BUG_NOTE, BuildFailed, CatalogInvalid, LvyinError
from generator.outputs.files import SiteCollision
from generator.outputs.site_files import outputs
from generator.plan.build_date import SHANGHAI, build_date
from generator.plan.site import load_inputs, load_site

if TYPE_CHECKING:
    from generator.engine.parallel_build import Reuse

DEFAULT_CONFIG = "mkdocs.yml"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except LvyinError as error:
        if isinstance(error, CatalogInvalid) and getattr(args, "format", "text") == "github":
            for problem in error.problems:
                print(github_annotation(problem))
            print(f"共发现 {len(error.problems)} 处错误，请修改后重试。", file=sys.stderr)
        else:
            print(error.report(), file=sys.stderr)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
    except Exception:  # a bug of lvyin: its traceback, and a word that it is one
        traceback.print_exc()
        print(BUG_NOTE, file=sys.stderr)
    return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lvyin", description="宝鸡市家庭教育公益大讲堂网站：检查目录数据、生成和预览网站。")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    def command(name: str, help_text: str, run) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--catalog", default="catalog", help="目录数据文件夹（默认 catalog/）")
        sub.set_defaults(run=run)
        return sub

    validate = command("validate", "检查目录数据，列出全部错误", _validate)
    validate.add_argument("--format", choices=("text", "github"), default="text",
                          help="text：path:line:col: 错误: …（默认）；github：GitHub Actions 注释，显示在拉取请求改动的行上")
    validate.add_argument("--published", metavar="URL_OR_FILE",
                          help="对照已发布的编号（网站地址、上次生成的 site/ids.json 或目标分支的目录文件夹），已发布的编号不能消失")
    build = command("build", "检查数据并生成网站（含搜索索引）", _build)
    build.add_argument("--site-dir", default="site", help="网站输出文件夹（默认 site/）")
    build.add_argument("--cache-dir", help="构建缓存文件夹：未变的页面和文件从这里取（默认在网站文件夹旁：.lvyin-cache/）")
    build.add_argument("--no-cache", action="store_true", help="不用构建缓存，全部重新生成（缓存也不更新）")
    serve = command("serve", "在本机预览网站，修改数据后自动刷新", _serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    serve.add_argument("--cache-dir", help="从这个构建缓存开始预览（默认在目录数据文件夹旁：.lvyin-cache/，与 lvyin build 默认的相同）")
    serve.add_argument("--no-cache", action="store_true", help="不用构建缓存：预览的第一次生成由 MkDocs 一次做完（小目录够用）")
    generate = command("generate", "只生成 Markdown 页面（供其他网站引擎使用）", _generate)
    generate.add_argument("--out", required=True, help="输出文件夹")
    generate.add_argument("--content", default="content", help="手写页面文件夹，一并复制（默认 content/）")
    schema = command("schema", "由数据模型生成 JSON Schema，供 VS Code 编辑 YAML 时自动补全和检查", _schema)
    schema.add_argument("--out", help="输出文件夹（默认 目录数据文件夹下的 schemas/）")
    new = command("new", "打印或追加一个新条目的模板（每个字段都有中文说明）", _new)
    new.add_argument("kind", choices=("lecture", "lecturer", "venue", "base", "station"), metavar="种类",
                     help="lecture 讲座、lecturer 讲师、venue 开放场馆、base 实践基地、station 指导站点")
    new.add_argument("--name", help="中文名称（讲座写标题），用来建议编号")
    new.add_argument("--append", metavar="FILE", help="追加到这个文件末尾（不存在时新建），而不是打印出来")
    printing = command("print", "输出指导站点某月或某季度的课程表（A4，可直接打印或生成 PDF）", _print)
    printing.add_argument("--station", required=True, help="指导站点编号")
    period = printing.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", help="月份，例如 2026-12")
    period.add_argument("--quarter", help="季度，例如 2026-q4")
    printing.add_argument("--out", help="HTML 写到这个文件（默认输出到屏幕）")
    printing.add_argument("--pdf", metavar="FILE", help="用无头 Chromium 生成 PDF 写到这个文件")
    printing.add_argument("--today", help="数据日期（年-月-日；默认同 build）")
    stats = command("stats", "在终端列出数据统计（与网站“数据统计”页相同的表格）", _stats)
    for sub in (build, serve, generate, stats):
        sub.add_argument("--today", help="以哪一天为“今天”区分近期和往期（年-月-日；默认取 SOURCE_DATE_EPOCH 或最近一次提交的日期）")
    for sub in (build, serve):
        sub.add_argument("--config", default=DEFAULT_CONFIG, help="MkDocs 配置文件（默认 mkdocs.yml）")
    synth = commands.add_parser("synth", help="生成合成的大规模目录数据（用于性能测试）", description="生成合成的大规模目录数据（用于性能测试）")
    synth.add_argument("--lectures", type=int, required=True, help="讲座场数")
    synth.add_argument("--seed", type=int, default=1, help="随机种子；相同种子生成完全相同的文件（默认 1）")
    synth.add_argument("--out", required=True, help="输出文件夹，目录数据写到其中的 catalog/")
    synth.set_defaults(run=_synth)
    return parser


def _synth(args: argparse.Namespace) -> int:
    from generator.bench.synth import synthesize

    if args.lectures < 0:
        raise LvyinError("--lectures 不能是负数")
    root = synthesize(args.out, args.lectures, args.seed)
    print(f"已生成合成目录数据：{root}/（讲座 {args.lectures} 场，种子 {args.seed}）")
    return 0


def _check_published(catalog, previous: str, catalog_dir: str) -> None:
    from generator.catalog.published import check_published, load_published
    from generator.catalog.redirects import REDIRECTS_FILE
    from generator.source.folders import display as _display

    published = load_published(previous)
    problems = check_published(published, catalog, _display(Path(catalog_dir) / REDIRECTS_FILE))
    if problems:
        raise CatalogInvalid(problems)


def _validate(args: argparse.Namespace) -> int:
    _, catalog, articles = load_inputs(args.catalog)
    if args.published:
        _check_published(catalog, args.published, args.catalog)
    print(f"目录数据检查通过：讲座 {len(catalog.lectures)} 场，讲师 {len(catalog.lecturers)} 位，"
          f"开放场馆 {len(catalog.venues)} 个，实践基地 {len(catalog.bases)} 个，指导站点 {len(catalog.stations)} 个，"
          f"家长课堂文章 {len(articles)} 篇。")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from generator.model.schema import SCHEMA_DIR, write_schemas

    out = Path(args.out) if args.out else Path(args.catalog) / SCHEMA_DIR
    written = write_schemas(out)
    print(f"已写出 {len(written)} 个 JSON Schema 到 {out}/。")
    return 0


def _new(args: argparse.Namespace) -> int:
    from generator.cli.scaffold import append, read_existing, template

    text = template(args.kind, read_existing(Path(args.catalog)), args.name)
    if not args.append:
        print(text, end="")
        return 0
    line = append(Path(args.append), Path(args.catalog), args.kind, text)
    print(f"已追加到 {args.append} 第 {line} 行起。请填写空着的字段，然后运行 lvyin validate 检查。")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from generator.outputs.dashboard import print_tables
    from generator.plan.stats import compute

    print_tables(compute(load_catalog(args.catalog), build_date(args.today, Path(args.catalog))))
    return 0


def _options(args: argparse.Namespace, catalog_files: FileCache | None = None) -> BuildOptions:
    """The build's options, from the command line.  The preview's build cache is by default beside
    the catalogue, where `lvyin build` keeps it with the default site folder."""
    site_dir = getattr(args, "site_dir", None)
    return BuildOptions(catalog=Path(args.catalog).resolve(), today=build_date(args.today, Path(args.catalog)),
                        site_dir=Path(site_dir) if site_dir else None, cache_dir=_preview_cache(args),
                        catalog_files=catalog_files)


def _preview_cache(args: argparse.Namespace) -> Path | None:
    """The preview's build cache folder, if it uses one (see `_options`)."""
    from generator.engine.build_cache import FOLDER

    if args.command != "serve" or args.no_cache:
        return None
    return Path(args.cache_dir).resolve() if args.cache_dir else Path(args.catalog).resolve().parent / FOLDER


@contextlib.contextmanager
def _plugin_settings(args: argparse.Namespace, catalog_files: FileCache | None = None) -> Iterator[BuildOptions]:
    """The build's options, handed to the MkDocs plugin (engine/options.py).  MkDocs itself dates the
    sitemap from SOURCE_DATE_EPOCH, set here to the build date unless set already, so both agree and
    rebuilds are identical."""
    options = _options(args, catalog_files)
    with env.source_date_epoch_unless_set(int(datetime.combine(options.today, time(0), SHANGHAI).timestamp())), \
            given(options):
        yield options


def _check_config(args: argparse.Namespace) -> None:
    if not Path(args.config).is_file():
        raise LvyinError(f"找不到 MkDocs 配置文件 {args.config}，请在项目根目录运行，或用 --config 指定")


def _build(args: argparse.Namespace) -> int:
    _check_config(args)
    with workers.no_cyclic_gc():
        return _build_site(args)


def _build_site(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from generator.engine.finishing import Finish
    from generator.engine.parallel_build import build_in_parts
    from generator.engine.search_index import copies_folder

    recover(Path(args.site_dir))  # a site a killed build left set aside comes back first
    previous = Path(args.site_dir) / "ids.json"
    _quiet_mkdocs()
    with _plugin_settings(args) as options:
        site_dir = options.site_dir or Path(args.site_dir)
        reuse = None if args.no_cache else _reuse(args, site_dir)
        whole = reuse.whole_site_key(options) if reuse else ""
        # The catalogue files the last builds read without problems are not read again (kept_reads.py).
        files = FileCache(KeptReads(reuse.cache.folder / "reads", reuse.cache.fingerprint)) if reuse else None
        try:
            with (swap_in(site_dir, reuse.cache.spare_folder if reuse else None) as fresh, progress.display("正在生成网站（页面、链接检查、搜索索引）"),
                  copies_folder(fresh.parent) as copies):
                # The very input of the last build, which checked it: its site, without reading the catalogue again.
                if not (reuse and reuse.place_site(options, fresh, previous)):
                    site = load_site(args.catalog, args.today, files)  # catalogue errors in the editors' format before MkDocs
                    if previous.is_file():  # ids the last build published must not disappear
                        _check_published(site.catalog, str(previous), args.catalog)
                    problems = build_in_parts(args.config, site, fresh, workers=options.workers, search_copies=Path(copies),
                                              reuse=reuse, finish=Finish(options.check_links, options.search_index, whole)).problems
                    if problems:
                        raise LvyinError(f"网站中有错误的链接或外部资源，{site_dir}/ 保持不变：\n" + "\n".join(problems[:50]))
                    if reuse:
                        reuse.cache.keep_site(whole, fresh)
                if reuse:
                    reuse.cache.save()
                if files and files.kept and files.kept.used:  # not when the whole site was the last one
                    files.kept.prune(files.private)  # it found no private value in what it read
        except (MkDocsException, BuildFailed, SiteCollision) as error:
            raise BuildFailed(f"网站生成失败，{site_dir}/ 保持不变：\n{error}") from None
        finally:
            if reuse:
                reuse.cache.close()
        if reuse:
            print(f"构建缓存：沿用 {reuse.cache.reused} 项，新生成 {len(reuse.cache.made)} 项（{reuse.cache.folder}/）")
    print(f"网站已生成：{site_dir}/。预览：make serve（或 lvyin serve），然后打开 http://127.0.0.1:8000/")
    return 0


def _reuse(args: argparse.Namespace, site_dir: Path) -> Reuse | None:
    """The build cache (engine/build_cache.py), or None while another build uses it."""
    from generator.engine.build_cache import FOLDER
    from generator.engine.parallel_build import open_reuse

    folder = Path(args.cache_dir) if args.cache_dir else site_dir.resolve().parent / FOLDER
    reuse = open_reuse(folder, Path(args.config), Path(args.catalog))
    if isinstance(reuse, str):
        print(f"提示：{reuse}，这次不用缓存", file=sys.stderr)
        return None
    return reuse


def _quiet_mkdocs() -> None:
    """Show MkDocs' warnings and errors (they fail a strict build), not its chatter."""
    import logging

    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def _kept_reads(args: argparse.Namespace) -> KeptReads | None:
    """The catalogue files `lvyin build` read, in the preview's build cache (see `_options`)."""
    from generator.engine.fingerprints import fingerprint

    folder = _preview_cache(args)
    return KeptReads(folder / "reads", fingerprint(Path(args.config), Path(args.catalog))) if folder else None


def _serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    _check_config(args)
    files = FileCache(_kept_reads(args))  # the preview's first build takes the files from here
    load_inputs(args.catalog, files)  # refused at once; once it runs, the preview shows problems in the browser
    _quiet_mkdocs()
    # Stopped by a service manager or a test as by Ctrl-C: MkDocs and the preview clean up after themselves.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with _plugin_settings(args, files):
        try:
            # Dirty: only pages whose Markdown changed are rebuilt (see engine/preview.py).
            serve(config_file=args.config, dev_addr=args.dev_addr, livereload=True, build_type="dirty")
        except MkDocsException as error:
            raise LvyinError(str(error)) from None
    return 0


def _generate(args: argparse.Namespace) -> int:
    site = load_site(args.catalog, args.today)
    content = Path(args.content)
    count = 0
    with swap_in(Path(args.out)) as fresh:
        if content.is_dir():
            shutil.copytree(content, fresh, dirs_exist_ok=True)
        for path, data in outputs(site):
            target = fresh / path
            if target.exists():
                raise LvyinError(f"{content / path} 与自动生成的文件 /{path} 冲突，请改名或删除这个手写文件")
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8")
            count += 1
    print(f"已写出 {count} 个生成文件到 {args.out}/（连同 {content}/ 的手写页面）。")
    return 0


def _print(args: argparse.Namespace) -> int:
    from generator.outputs.printing import html_to_pdf, month_period, quarter_period, sheet_html

    site = load_site(args.catalog, args.today)
    period = month_period(args.month) if args.month else quarter_period(args.quarter)
    html = sheet_html(site, args.station, period)
    if args.pdf:
        html_to_pdf(html, Path(args.pdf))
    if args.out:
        Path(args.out).write_text(html, encoding="utf-8")
    elif not args.pdf:
        sys.stdout.write(html)
    for target in (args.out, args.pdf):
        if target:
            print(f"已写出 {target}", file=sys.stderr)
    return 0
