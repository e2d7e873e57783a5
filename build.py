#!/usr/bin/env python3
"""huiwu 会务文档生成：python build.py --help"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
from pathlib import Path

from huiwu import workers


def _builds(args: list[str]) -> bool:
    """Whether the command line asks for a build (`build.py [--project 文件夹] [build …]`), told before click reads
    it: a wrong guess costs a worker started and stopped, or started later."""
    words = [a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] != "--project")]
    return not {"-h", "--help"} & set(args) and words[:1] in ([], ["build"])


if __name__ == "__main__" and _builds(sys.argv[1:]):
    workers.spawn_early()  # it loads WeasyPrint while the rest is imported and the sources are read

import click  # noqa: E402

from huiwu import fonts, pipeline  # noqa: E402
from huiwu.problems import BuildFailed, Problems  # noqa: E402

ROOT = Path(__file__).resolve().parent


def _project() -> pipeline.Project:
    return pipeline.Project(click.get_current_context().find_root().obj or ROOT)


def _fail(problems: Problems) -> None:
    click.echo(problems.report(), err=True)
    sys.exit(1)


HELP = "显示本帮助并退出。"

# click's own messages (a mistyped command or option, a folder that is not there), said in Chinese like every other
# message: click passes each through gettext, whose names its modules hold; unknown ones stay as click says them.
CLICK_WORDS = {
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看用法。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "是不是 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是其中之一：{possibilities}？）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "Invalid value: {message}": "值不对：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Option {name!r} does not take a value.": "选项 {name!r} 后面不写值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面要写一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面要写 {nargs} 个值。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是数字。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 之内。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "directory": "文件夹",
    "file": "文件",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 没有读取权限。",
    "Aborted!": "已中止。",
}


def _in_chinese() -> None:
    """click's messages through CLICK_WORDS; a command-line mistake exits with 1, as a mistake in the sources does."""
    def said(message: str) -> str:
        return CLICK_WORDS.get(message, message)

    def said_of(one: str, more: str, n: int) -> str:
        return said(one if n == 1 else more)

    for module in (click.core, click.exceptions, click.parser, click.types):
        module._, module.ngettext = said, said_of  # type: ignore[attr-defined]
    click.UsageError.exit_code = 1


_in_chinese()


def _port(port: int) -> None:
    if not 1024 <= port <= 65535:
        problems = Problems()
        problems.add("命令行", 0, f"--port：端口 {port} 不可用，请写 1024 到 65535 之间的数，如 8766")
        _fail(problems)


class ChineseHelp:
    """Help pages in Chinese: the headings click would print in English."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [r for p in self.get_params(ctx)  # type: ignore[attr-defined]
                if isinstance(p, click.Option) and (r := p.get_help_record(ctx))]
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = [(n, c.get_short_help_str(60)) for n, c in self.commands.items()]
            with formatter.section("命令"):
                formatter.write_dl(commands)


class Command(ChineseHelp, click.Command):
    pass


class Group(ChineseHelp, click.Group):
    command_class = Command


@click.group(cls=Group, invoke_without_command=True, options_metavar="[选项]", subcommand_metavar="[命令]")
@click.help_option("-h", "--help", help=HELP)
@click.option("--project", type=click.Path(file_okay=False, exists=True, path_type=Path), metavar="文件夹",
              help="项目文件夹（含 content/、layouts/），默认为 build.py 所在文件夹。")
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """huiwu：把 content/ 下每个会议的材料生成为可打印的 PDF，放在 output/ 下。

    不带命令时等同于 build。
    """
    ctx.obj = project.resolve() if project else ROOT
    if ctx.invoked_subcommand is None:
        ctx.invoke(build)


@cli.command(options_metavar="[选项]")
@click.help_option("-h", "--help", help=HELP)
@click.option("--force", is_flag=True, help="不管是否有改动，全部重新生成。")
@click.option("--only", metavar="文档", help="只生成这几种文档，用逗号分隔，如 notice,badges 或 会议通知,证件；"
              "其余文件和内网站点不变。")
def build(force: bool, only: str | None) -> None:
    """生成所有会议的文档（只重新生成有改动的会议）。"""
    project = _project()
    try:
        kinds = None if only is None else pipeline.kind_keys(only)
        summary = pipeline.build(project, click.echo, force=force, only=kinds)
    except BuildFailed as exc:
        _fail(exc.problems)
    except KeyboardInterrupt:
        click.echo("已中断：已写出的文件都是完整的，没写完的文件不会留下；再次运行 make 会补齐。", err=True)
        sys.exit(130)
    if not summary.written and not summary.skipped and not summary.unchanged and not summary.site:
        click.echo(f"无需更新：{summary.up_to_date} 个会议的文档都是最新的。")
        return
    for line in summary.skipped:
        click.echo(f"  未生成 {line}")
    parts = [written(summary)]
    if summary.site:
        parts.append(f"内网站点 {summary.site} 个文件")
    if summary.unchanged:
        parts.append(f"{summary.unchanged} 个文档内容未变")
    if summary.up_to_date:
        parts.append(f"{summary.up_to_date} 个会议无改动")
    if summary.skipped:
        parts.append(f"{len(summary.skipped)} 个文档因缺少数据未生成")
    click.echo(f"完成：{'，'.join(parts)}；用时 {summary.seconds:.1f} 秒，输出在 output/ 下。")


def written(summary: pipeline.Summary) -> str:
    """The files of the documents made: those whose content changed, and those left as they were (an edit to one
    holder leaves the other numbered copies as they were)."""
    same = len(summary.written) - summary.rewritten
    if not same:
        return f"写出 {summary.rewritten} 个文件（共 {summary.pages} 页）"
    return f"写出 {summary.rewritten} 个文件（另有 {same} 个文件内容与上次相同，未重写；共 {summary.pages} 页）"


@cli.command(options_metavar="[选项]")
@click.help_option("-h", "--help", help=HELP)
def check() -> None:
    """只检查所有会议的材料（格式、写作规范、字体缺字、座次、名单与座位桌签证件是否一致），不生成文件。"""
    try:
        count, warnings = pipeline.check(_project())
    except BuildFailed as exc:
        _fail(exc.problems)
    for warning in warnings:
        click.echo(warning)
    found = f"未发现错误，有 {len(warnings)} 处警告（见上）" if warnings else "未发现问题"
    click.echo(f"检查通过：{count} 个会议，{found}。")


@cli.command(name="fonts", options_metavar="[选项]")
@click.help_option("-h", "--help", help=HELP)
def fonts_cmd() -> None:
    """列出每种字体角色（标题、正文、黑体、楷体、页码）实际使用的字体文件。"""
    try:
        click.echo(fonts.report(fonts.resolve(_project().fonts_dir)))
    except BuildFailed as exc:
        _fail(exc.problems)
    click.echo("提示：把方正小标宋、仿宋_GB2312、楷体_GB2312 等字体文件放入 fonts/ 文件夹即可优先使用。")


@cli.command(options_metavar="[选项]")
@click.help_option("-h", "--help", help=HELP)
@click.argument("meeting", required=False, metavar="[会议]")
@click.option("--lan", is_flag=True, help="让同一内网的其他电脑、手机也能打开（网址带随机口令，没有口令一律拒绝）。")
@click.option("--port", type=int, default=8765, metavar="端口",
              help="签到台使用的端口（1024—65535），默认 8765。")
@click.option("--no-browser", is_flag=True, help="启动后不自动打开浏览器。")
def checkin(meeting: str | None, lan: bool, port: int, no_browser: bool) -> None:
    """会中签到台：扫描证件或输入姓名签到，实时显示到会情况（只有一个会议时可不写会议名）。"""
    from huiwu import checkin as desk

    _port(port)
    project = _project()
    try:
        folder = desk.choose(project, meeting)
        desk.refuse_workbooks(folder)
        problems = Problems()
        found = pipeline.load(project, [folder], problems)
        if problems or not found:
            raise BuildFailed(problems)
        desk.serve(project, found[0], port=port, lan=lan, browser=not no_browser, echo=click.echo,
                   now=desk.clock())
    except BuildFailed as exc:
        _fail(exc.problems)


@cli.command(options_metavar="[选项]")
@click.help_option("-h", "--help", help=HELP)
@click.option("--port", type=int, default=8000, metavar="端口",
              help="预览使用的端口（1024—65535），默认 8000。")
@click.option("--no-browser", is_flag=True, help="启动后不自动打开浏览器。")
def watch(port: int, no_browser: bool) -> None:
    """实时预览：先生成一次，之后每次保存 content/ 下的文件就自动重新生成，浏览器中的站点页面随之刷新。"""
    from huiwu import preview

    _port(port)
    try:
        preview.watch(_project(), port, click.echo, browser=not no_browser)
    except BuildFailed as exc:  # the port is taken
        _fail(exc.problems)


MAIN = os.getpid()


def _stop(signum: int, frame: object) -> None:
    """Told to stop (the terminal window closed, the system shutting down): stopped as by Ctrl+C, so that the
    render workers end too and no half-written file is left. A render worker inherits this handler until it
    sets its own (huiwu.workers): stopped before that, it ends at once and says nothing."""
    if os.getpid() != MAIN:
        os._exit(0)
    raise KeyboardInterrupt


def _alone() -> bool:
    """Whether nothing runs in the process that Python would wait for at its end: a daemon thread (the one closing
    replaced files, render._let_go) is not waited for."""
    return not any(not t.daemon for t in threading.enumerate() if t is not threading.main_thread())


def _main() -> None:
    """Run the command, then end the process at once when nothing else runs in it: what it made is written and
    closed, its exit functions run, and Python's own teardown would free every object one by one (0.1 s for a
    500-person meeting)."""
    try:
        cli()
    except SystemExit as done:
        if not _alone():  # a thread still running (the live preview's): let Python wait for it
            raise
        code = done.code
        if isinstance(code, str):  # sys.exit("…") prints its text
            print(code, file=sys.stderr)
        atexit._run_exitfuncs()  # what is registered to run at exit still runs
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # the reader went away (`| head`): nothing more can be said
                pass
        os._exit(code if isinstance(code, int) else 0 if code is None else 1)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    _main()
