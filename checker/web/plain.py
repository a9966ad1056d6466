"""The readers' words in the page's language.

checker.io writes its notes, rejected-row reasons and input errors in English for the
command line, naming its options (--debtor, --columns …). The web page speaks Chinese
to people who do not use a terminal, so this module maps each message *shape* the
readers (and checker.parties / checker.pipeline) write to a Chinese template that keeps
the file, line, column and offending value, and names the page's own fields instead of
command-line options. A message no shape knows is never dropped: it is shown in Chinese
framing with the original text as its detail.

A shape is the reader's message with ``{name}`` for each varying part; a name used twice
must match the same text. ``CONVERT`` turns some parts into Chinese (``reason`` is
translated again, so a message that quotes another is translated whole).

When a reader's message changes, its shape stops matching and the page falls back to
the framed original; tests/test_web.py runs every fixture and the common errors through
the page and fails on an untranslated English sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

# Where the page's fields are, for messages that name a command-line option
F_NUMBERS = "“催收方的号码”一栏"
F_DEBTOR = "“你自己的号码”一栏"
F_SPEAKER = "“更多选项”里的“催收员的说话人标签”"
F_DATE_ORDER = "“更多选项”里的“日期顺序”"
# The page has no --columns, --encoding or --input-format: say what a person can do instead
COLUMNS_ZH = ("网页上不能指定列名：可以在 Excel 或 WPS 里把表头改成 collcheck 认识的列名（如“时间”“号码”“类型”“时长”，"
              "短信再加“内容”），另存为 CSV（UTF-8）后重新上传。")
ENCODING_ZH = "请在 Excel、WPS 或记事本里把文件另存为 UTF-8 编码（如“CSV UTF-8”）后重新上传。"
NOT_A_TABLE_ZH = "如果这不是通话记录或短信表格，而是通话文字稿或聊天文字，请把内容复制粘贴到上面的文本框里。"
PASTED = "粘贴的文字"
# A note / reason / error no shape knows: Chinese framing, the reader's own text kept
UNKNOWN_ZH = "（这条说明还没有中文译文，以下是 collcheck 的英文原文）{text}"

_COLS_ZH = {"time": "时间", "number": "号码", "call type": "通话类型", "duration": "通话时长"}
_TABLES_ZH = {"a call log": "通话记录", "a message table": "短信表格", "a WeChat chat table": "微信聊天表格",
              "a transcript table": "通话转写表格"}
FORMATS_ZH = {"jsonl": "collcheck 批量记录", "json": "JSON 记录", "transcript": "通话文字稿", "text": "短信文字",
              "calllog": "通话记录", "calllog-xml": "安卓通话记录备份", "messages": "短信表格",
              "sms-xml": "短信备份", "sms-text": "短信文字备份", "wechat-csv": "微信聊天表格",
              "transcript-table": "通话转写表格",
              "wechat-text": "微信 / QQ 聊天文字", "wechat-html": "微信聊天网页（HTML）",
              "telegram-json": "Telegram 聊天导出",
              "srt": "SRT 字幕", "vtt": "WebVTT 字幕", "whisper-json": "Whisper 转写", "funasr-json": "FunASR 转写",
              "asr-json": "语音识别结果（JSON）",
              "call-list": "通话证据文字（录音文件列表 / 拦截记录 / 通话截图）"}

def format_zh(fmt: str) -> str:
    """A format's Chinese name; a workbook of several tables (calllog+messages) names each."""
    return "、".join(FORMATS_ZH.get(p, p) for p in fmt.split("+"))


_MONTHS = {m: i for i, m in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December"), 1)}
_WHAT = {"speaker labels": "说话人标签", "WeChat nicknames": "微信昵称", "QQ nicknames": "QQ 昵称",
         "FunASR speaker ids": "FunASR 说话人编号", "ASR speaker ids": "语音识别说话人编号",
         "LINE sender names": "LINE 发送人名称"}
_ORDER = {"dmy": "日/月/年", "mdy": "月/日/年", "ymd": "年/月/日"}
_CALL_TYPES = "主叫、被叫、未接、拒接、呼入、呼出，或安卓代码 1/2/3/5"
_ANDROID = "1 呼入、2 呼出、3 未接、4 语音信箱、5 拒接、6 拦截、7 在其他设备接听"
_MSG_DIR_HOW = ("; if a column says whether a message was received or sent (e.g. 类型 / Type / Folder with 接收 / 发送 "
                "or Received / Sent), name it with --columns direction=COLUMN")
_MSG_DIR_ZH = ("如果表格里有一列写明了接收或发送，可以在 Excel 或 WPS 里把那一列的表头改成“类型”，另存为 CSV（UTF-8）后"
               "重新上传。")
# the Telegram all-chats note's tail (checker.io.telegram)
_TG_ALL = ("; every other sender in every chat is judged as a possible collector (friends' and family chats"
           " too, unless the chat's name is a kinship word such as 妈妈) — export only the collectors' chats to leave"
           " the others out")
_TG_ALL_ZH = ("其他每个聊天里对方发的消息都按可能的催收方判断（朋友、家人的聊天也是，"
              "除非聊天名称是“妈妈”这样的亲属称呼）；只导出与催收方的聊天，就不会把别人算进来。")
_MISREAD = (". If collcheck misread the columns, name them with --columns "
            "time=COLUMN,number=COLUMN,direction=COLUMN,duration=COLUMN")


def _column(v: str) -> str:  # a column by its header, or by its number when it has none
    m = re.fullmatch(r"column (\d+)", v)
    return f"第 {m.group(1)} 列" if m else f"“{v}”列"


def _quoted_list(v: str) -> str:  # "'主叫' and '被叫'" / "A and B"
    return v.replace("' and '", "”和“").replace(" and ", "、").replace("'", "")


def _why(v: str) -> str:
    if v == "no number is in every row":
        return "没有一个号码出现在每一行"
    m = re.fullmatch(r"(.+) are both in every row", v)
    return f"{m.group(1).replace(' and ', '、')} 这几个号码每一行都有" if m else v


def _pages(v: str) -> str:  # "one page" / "3 pages joined in order; page 2 starts at line 40, page 3 starts at line 81"
    if v == "one page":
        return "共 1 页"
    m = re.fullmatch(r"(\d+) pages joined in order; (.*)", v, re.S)
    if not m:
        return v
    at = re.sub(r"page (\d+) starts at line (\d+)", r"第 \1 页从第 \2 行起", m.group(2)).replace(", ", "，")
    return f"共 {m.group(1)} 页，按顺序连在一起：{at}"


def _quotes(v: str) -> str:  # "'foo', 'bar'" -> “foo”、“bar”
    return re.sub(r"'([^']*)'", r"“\1”", v).replace(", ", "、")


def _value(v: str) -> str:  # a value the reader shows with repr(): 'abc' -> “abc”
    return f"“{v[1:-1]}”" if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"" else v


# Parts of a shape that can only be one of a few words, and their Chinese
CHOICES: dict[str, dict[str, str]] = {
    "what": _WHAT,
    "order": _ORDER,
    "m1": {m: str(i) for m, i in _MONTHS.items()},
    "m2": {m: str(i) for m, i in _MONTHS.items()},
    "dm": {"day": "日", "month": "月"},
    "end": {"start": "开始", "end": "结束"},
    "seg": {"segment": "片段", "sentence": "句子"},
    "unit": {"line": "行", "row": "行"},
    "how": {"--debtor": F_DEBTOR, "the lines above the header": "表头上方的说明行"},
    "db": {"an Android SMS database": "安卓短信数据库", "an Android call-log database": "安卓通话记录数据库",
           "an iPhone messages database": "苹果手机短信数据库", "an iPhone call history": "苹果手机通话记录数据库",
           "a WeChat (Android) message database": "微信（安卓）聊天数据库",
           "a WeChat (Windows) message database": "微信（电脑版）聊天数据库"},

    "field": {"type": "type", "msg_box": "msg_box", "channel": "channel", "speaker": "speaker", "status": "status"},
}
# Parts of a shape turned into Chinese by a function (the rest is kept as written)
CONVERT: dict[str, Callable[[str], str]] = {
    "fmt": lambda v: format_zh(v),
    "col": _column,
    "names": _quoted_list,
    "keys": _quotes,
    "shown": _quotes,
    "labels": lambda v: v.replace(", ", "、"),
    # a ZIP archive's files: "calls.xml, 短信.xlsx and 3 more" -> calls.xml、短信.xlsx 等（另有 3 个文件）
    "files": lambda v: re.sub(r" and (\d+) more$", r" 等（另有 \1 个文件）", v).replace(", ", "、"),
    "why": _why,
    "value": _value,
    "choices": lambda v: v.replace(", ", "、"),
    "pages": _pages,
    "wh": lambda v: re.sub(r"^line (\d+)(?:: '(.*)')?$",
                           lambda m: f"第 {m.group(1)} 行" + (f"：“{m.group(2)}”" if m.group(2) else ""),
                           v, flags=re.S),
    "ys": lambda v: v.replace(" and ", " 和 "),
    # time column 1, number column 2, call type column 3 -> 第 1 列是时间、第 2 列是号码、第 3 列是通话类型
    "cols": lambda v: "、".join(
        re.sub(r"^(time|number|call type|duration) column (\d+)$",
               lambda m: f"第 {m.group(2)} 列是{_COLS_ZH[m.group(1)]}",
               p) for p in v.split(", ")),
    # sheet '电话' a call log, sheet '短信' a message table -> 工作表“电话”是通话记录、工作表“短信”是短信表格
    "tables": lambda v: "、".join(
        re.sub(r"^sheet '(.*)' (.+)$", lambda m: f"工作表“{m.group(1)}”是{_TABLES_ZH.get(m.group(2), m.group(2))}", p)
        for p in re.split(r", (?=sheet ')", v)),
}

# (the reader's message shape, the Chinese template). Bodies only: the "FILE:" / "FILE:LINE:"
# and "sheet 'NAME': " prefixes are taken off and said in Chinese before these are tried.
SHAPES: tuple[tuple[str, str], ...] = (
    # ---- whole files (checker.io InputError, checker.pipeline)
    ("an image ({kind}), not a call log or message export. collcheck reads the text of exports (CSV, XLSX, XML, "
     "JSON, TXT); for a screenshot, type or paste its text into the text box or a .txt file",
     "这是一张图片（{kind}），不是导出的通话记录或短信。collcheck 只能读取导出的文字（CSV、XLSX、XML、JSON、TXT）；"
     "截图里的内容，请输入或粘贴到上面的文本框里。"),
    ("a PDF; collcheck reads CSV, TSV, XLSX, XML, JSON and text. Download the bill as CSV or XLSX, or copy its table "
     "into a text file",
     "这是 PDF 文件。collcheck 能读取 CSV、TSV、XLSX、XML、JSON 和文本文件：请从运营商或手机导出 CSV 或 Excel 格式的"
     "详单，或者把 PDF 里的表格内容复制粘贴到上面的文本框里。"),
    ("reading a PDF needs pypdf (pip install pypdf)",
     "读取 PDF 需要 pypdf（请安装 collcheck 的人运行“pip install pypdf”），或者从运营商或手机导出"
     " CSV / Excel 格式的详单。"),
    ("a password-protected PDF; open it with its password and print or save it as a PDF without one (or download "
     "the bill as CSV / XLSX), then scan that",
     "这个 PDF 有密码保护：请用密码打开，再打印或另存为没有密码的 PDF（或者导出 CSV / Excel 格式的详单）后上传。"),
    ("a PDF that cannot be read (damaged or cut short? {_e}); download it again, or copy its text into a .txt file "
     "and scan that",
     "这个 PDF 打不开（可能已损坏或没有下载完整）：请重新下载，或者把里面的文字复制粘贴到上面的文本框里。"),
    ("a scanned PDF with no text: its {n} page(s) are images, with no text layer to read. Download the bill as CSV, "
     "XLSX or a PDF made by the carrier's site (not a scan or photo), or type or paste its text into a .txt file",
     "这是扫描出来的 PDF，{n} 页都是图片，没有可以读取的文字。请从运营商网站下载 CSV、Excel 或网站生成的 PDF 详单"
     "（不要扫描件或照片），或者把内容输入或粘贴到上面的文本框里。"),
    ("the PDF's text cannot be decoded cleanly (its characters come out one by one, with spaces between them: the "
     "PDF's font encoding is not one the text extraction follows); download the bill as CSV or XLSX, or copy its "
     "text into a .txt file and scan that",
     "这个 PDF 里的文字取不干净（字会一个一个地散开，是 PDF 字体编码的问题）：请导出 CSV 或 Excel 格式的详单，"
     "或者把文字复制粘贴到上面的文本框里。"),
    ("a PDF whose text reads as {fmt}; give the original {fmt} file instead",
     "这个 PDF 里的文字是 {fmt} 格式：请直接上传原来的 {fmt} 文件。"),
    ("read from the PDF's text layer ({pages}); a line number is a line of the extracted text, and a rejected row's "
     "reason names its page and the line on that page",
     "从 PDF 的文字层读取（{pages}）；行号是取出的文字的行号，无法读取的行会写明在第几页第几行。"),
    ("page {p}, line {n}: {reason}", "第 {p} 页第 {n} 行：{reason}"),
    ("a PDF with no pages (damaged or cut short?); download it again",
     "这个 PDF 一页也没有（可能已损坏或没有下载完整）：请重新下载。"),
    ("the PDF has defects that were read past ({_d}); if rows are missing, the file may be cut short: download it "
     "again",
     "这个 PDF 有些损坏的地方，已跳过继续读取；如果发现少了行，文件可能没有下载完整，请重新下载。"),
    ("the workbook holds no data: its sheet(s) {shown} are empty; export the call log or messages again",
     "这个工作簿里没有数据：工作表 {shown} 都是空的。请重新导出通话记录或短信。"),
    ("an Office file that is not an Excel workbook (a Word .doc or a PowerPoint file?); give the call log or message "
     "export itself",
     "这是 Office 文件，但不是 Excel 工作簿（可能是 Word 或 PowerPoint 文件？）：请上传导出的通话记录或短信文件本身。"),
    ("reading an old Excel .xls file needs xlrd (pip install xlrd)",
     "读取旧版 Excel（.xls）需要 xlrd（请安装 collcheck 的人运行“pip install xlrd”），或者在 Excel / WPS 中另存为 "
     ".xlsx 或 CSV（UTF-8）后再上传。"),
    ("a password-protected (encrypted) .xls workbook; open it in Excel or WPS with its password, save it as .xlsx or "
     "CSV (UTF-8) and scan that",
     "这个 .xls 工作簿有密码保护：请在 Excel 或 WPS 里用密码打开，另存为 .xlsx 或 CSV（UTF-8）后再上传。"),
    ("an old Excel .xls file that cannot be read (damaged or cut short? {_e}); open it in Excel or WPS and save it "
     "as .xlsx or CSV (UTF-8), then scan that",
     "这个旧版 Excel（.xls）文件读不出来（可能已损坏或没有下载完整）：请在 Excel 或 WPS 里打开，另存为 .xlsx 或 "
     "CSV（UTF-8）后再上传。"),
    ("an {book} workbook cannot be read as {fmt}; it holds a table (--input-format calllog, messages or wechat-csv)",
     "{book} 工作簿不能按“{fmt}”读取：它是一个表格。"),
    ("sheet '{sheet}' cannot be read after row {n} ({_e})",
     "工作表“{sheet}”读到第 {n} 行之后读不下去了（可能已损坏）。"),
    ("an old Excel .xls file; save it as .xlsx or CSV (UTF-8) and scan that",
     "这是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV（UTF-8）后再上传。"),
    ("a ZIP archive holding {files}; unzip it and give those files",
     "这是一个 ZIP 压缩包，里面有 {files}：请先解压（在压缩包上点右键，选“全部解压缩”或“解压到当前文件夹”），"
     "再上传解压出来的这些文件。"),
    ("a ZIP archive, not a workbook; unzip it and give the files inside",
     "这是一个 ZIP 压缩包，不是表格：请先解压，再上传里面的文件。"),
    ("a damaged ZIP / XLSX file", "这个 ZIP / XLSX 文件已损坏，打不开：请重新导出或下载。"),
    ("an SQLite database cannot be read as {fmt}; it holds a table (--input-format calllog, messages or wechat-csv)",
     "这是手机或聊天软件的数据库文件，不能按“{fmt}”读取：它里面是表格。"),
    ("an SQLite database collcheck cannot open ({_e}); if it is WeChat's EnMicroMsg.db or MSG.db it must be "
     "decrypted first",
     "这个数据库文件打不开（可能已损坏或加了密）；如果是微信的 EnMicroMsg.db 或 MSG.db，需要先解密再上传。"),
    ("an SQLite database without a table collcheck knows (its tables: {shown}); expected Android mmssms.db (sms) or "
     "calllog.db / contacts2.db (calls), an iPhone backup's sms.db (message) or CallHistory.storedata (ZCALLRECORD), "
     "or WeChat's decrypted EnMicroMsg.db (message) or MSG.db (MSG)",
     "这个数据库文件里没有 collcheck 认识的表（它的表有：{shown}）。collcheck 能读：安卓的 mmssms.db（短信）和 "
     "calllog.db / contacts2.db（通话记录），苹果手机备份里的 sms.db（短信）和 CallHistory.storedata（通话记录），"
     "解密后的微信 EnMicroMsg.db 或 MSG.db。"),
    ("{db} whose table {table} cannot be read ({_e})", "{db}里的表 {table} 读不出来（可能已损坏）：请重新备份或导出。"),
    ("the file is empty; expected a call log, messages, a transcript or a JSONL batch",
     "文件是空的（0 字节），里面什么也没有：请从手机或 App 里重新导出一次通话记录、短信或聊天记录，"
     "再上传新导出的文件。"),
    ("{n} line(s) ({shown}) are not UTF-8 like the rest of the file: read as GBK/GB18030; check them, and save the "
     "file as UTF-8",
     "有 {n} 行（第 {shown} 行）和文件其余部分的编码不同（不是 UTF-8），已按 GBK/GB18030 读取；"
     "请核对这几行，并把文件另存为 UTF-8。"),
    ("{n} line(s) ({shown}) hold bytes that are not {enc} text (a damaged byte?): read with \ufffd in their place; "
     "check them against the original",
     "有 {n} 行（第 {shown} 行）含有无法识别的字节（文件可能有损坏），这些字节显示为 \ufffd，其余内容照常读取；"
     "请对照原始记录核对这几行。"),
    ("the gzip data is cut short or damaged after line {n} ({e}): the lines before it are read, the rest of the "
     "file is lost (was the download or copy stopped?); the line the cut falls in is rejected if it no longer parses",
     "这个 gzip 压缩文件在第 {n} 行之后被截断或损坏：之前的内容已读取，之后的内容丢失了（下载或复制是否中途停止？）；"
     "截断处那一行如果读不出来，会列为无法读取的行。"),
    ("gzip data that unpacks to more than {n} MiB; a batch that large is scanned streamed when given as .jsonl.gz, "
     "other files unpack it first",
     "这个 gzip 压缩文件解压后超过 {n} MiB，太大了：请先解压，或用命令行按批量格式（.jsonl.gz）扫描。"),
    ("the gzip data is cut short or damaged after line {n} ({e}); the findings before it were written",
     "这个 gzip 压缩文件在第 {n} 行之后被截断或损坏：之前的内容已检查，之后的内容丢失了；请重新下载或导出完整的文件。"),
    ("{n} line(s) are UTF-8 in a GBK/GB18030 file: each line is read in its own encoding; check them, and save the "
     "file in one encoding",
     "这个 GBK/GB18030 文件里有 {n} 行是 UTF-8 编码，已逐行按各自的编码读取；请核对，并把文件统一保存为一种编码。"),
    ("not UTF-8 text (a JSONL batch is UTF-8; this line may be GBK / GB18030: save the file as UTF-8)",
     "不是 UTF-8 文字（JSONL 批量文件必须是 UTF-8；这一行可能是 GBK/GB18030 编码，请把文件另存为 UTF-8）"),
    ("not UTF-8, UTF-16 or GBK/GB18030 text (byte {byte}); give the encoding with --encoding",
     "这个文件不是能识别的文本（不是 UTF-8、UTF-16 或 GBK/GB18030 编码，第 {byte} 个字节读不出来）：可能是图片、"
     "压缩包或其他二进制文件，也可能编码特殊。请上传导出的 CSV / TXT，或" + ENCODING_ZH[1:]),
    ("looks like {enc} but byte {byte} is invalid: {_r}; give the encoding with --encoding",
     "看起来是 {enc} 编码，但第 {byte} 个字节无效（文件可能损坏或没有完整保存）。" + ENCODING_ZH),
    ("cannot decode as {enc} (byte {byte} of a chunk: {_r}); give the encoding with --encoding",
     "无法按 {enc} 编码读取（第 {byte} 个字节附近出错）。" + ENCODING_ZH),
    ("cannot decode as {enc} (byte {byte}: {_r}); give the right encoding with --encoding",
     "无法按 {enc} 编码读取（第 {byte} 个字节出错）。" + ENCODING_ZH),
    ("cannot decode as {enc} ({_r}); give the right encoding with --encoding",
     "无法按 {enc} 编码读取。" + ENCODING_ZH),
    ("cannot decode as {enc}: {_r}", "无法按 {enc} 编码读取。" + ENCODING_ZH),
    ("cannot read: {detail}", "无法读取这个文件（{detail}）。"),
    ("unknown input format {fmt}; expected one of {_x}", "不认识的输入格式 {fmt}。"),
    ("an Excel 2003 XML spreadsheet, not a backup; open it in Excel or WPS and save it as .xlsx or CSV (UTF-8), "
     "then scan that",
     "这是 Excel 2003 XML 表格，不是手机备份：请用 Excel 或 WPS 打开，另存为 .xlsx 或 CSV（UTF-8）后再上传。"),
    ("an XML file that is not an SMS Backup & Restore (<smses>) or call-log (<calls>) backup, nor 超级备份's "
     "(<allsms> / <alllogs>); give --input-format if it is one",
     "这个 XML 文件不是“SMS Backup & Restore”的短信备份（<smses>）或通话记录备份（<calls>），也不是“超级备份”的"
     "备份（<allsms> / <alllogs>），无法读取。"),
    ("an HTML page with no table and no chat messages; collcheck reads call logs and messages as CSV, TSV, XLSX, "
     "XML, text, or a WeChat chat page exported as HTML. Save the page's table as CSV or XLSX, or copy the chat's "
     "text into a .txt file",
     "这是一个网页（HTML），里面既没有表格，也没有聊天消息。collcheck 能读取 CSV、TSV、XLSX、XML、文本格式的通话记录和"
     "短信，以及导出为网页的微信聊天记录：请把网页里的表格另存为 CSV 或 XLSX，或把聊天文字复制到一个 .txt 文件里。"),
    ("no chat messages found in this HTML page (no chatMessages data and no message bubbles)",
     "这个网页里没有找到聊天消息。"),
    ("{reason} (the file is an HTML table, e.g. a bill saved as .xls)",
     "{reason}。（这个文件其实是网页表格，例如存成 .xls 的账单。）"),
    ("not valid JSON ({_m}); expected a JSON array of records", "不是有效的 JSON：应该是一个由记录组成的 JSON 数组。"),
    ("text after the end of the JSON array", "JSON 数组结束后还有多余的内容。"),
    ("expected ',' or ']' in the JSON array (the file ends early: cut short?)",
     "JSON 数组在这里缺少 ',' 或 ']'：文件提前结束了（可能没有完整保存）。"),
    ("expected ',' or ']' in the JSON array", "JSON 数组在这里缺少 ',' 或 ']'。"),
    ("not valid JSON ({_m})", "不是有效的 JSON（格式有误）。"),
    ("not Whisper JSON: expected an object with a 'segments' list",
     "不是 Whisper 转写的 JSON：应该是一个含有 'segments' 列表的对象。"),
    ("not FunASR JSON: expected a list of results with 'sentence_info'",
     "不是 FunASR 转写的 JSON：应该是一个含有 'sentence_info' 的结果列表。"),
    ("a JSON array whose records' keys collcheck does not know ({keys}) and no 'channel' key of the batch contract. "
     "Name them with --columns, e.g. --columns {_eg} (fields: {_f})",
     "这是一个 JSON 数组，但 collcheck 不认识其中记录的字段名（{keys}），也没有批量记录格式的 'channel' 字段。"
     "网页上不能指定字段名：请把记录导出成 CSV 或 Excel 表格后再上传。"),
    ("the table has {names} columns but no call-type column, and {why}, so collcheck cannot tell which calls were "
     "made to you; expected your own number in one of the two columns of every row. Give your number with --debtor "
     "NUMBER",
     "表格有“{names}”两列，但没有通话类型（主叫 / 被叫）一列，而且{why}，所以分不出哪些电话是打给你的。请在" + F_DEBTOR
     + "填写你的号码，再按“检查”。"),
    ("no call-log or message header found in the first {n} {unit}s; name the columns with --columns "
     "time=COLUMN,number=COLUMN,direction=COLUMN,duration=COLUMN",
     "前 {n} {unit}里没有找到通话记录或短信表格的表头（列名）。" + COLUMNS_ZH),
    ("the header is not one collcheck knows; columns found on {unit} {n}: {shown}. Name them with --columns, e.g. "
     "--columns {_eg} (names or 1-based column numbers; fields: {_f}), or, if the file is not a call log or message "
     "table, give its format with --input-format (e.g. transcript or text)",
     "没有认出这个表格的列名（时间、号码、类型、时长等）；第 {n} {unit}的列名是：{shown}。" + COLUMNS_ZH
     + NOT_A_TABLE_ZH),
    ("reading XLSX needs openpyxl (pip install openpyxl)",
     "读取 XLSX 需要 openpyxl（请安装 collcheck 的人运行“pip install openpyxl”），或者把文件另存为"
     " CSV（UTF-8）后再上传。"),
    ("not a readable XLSX workbook ({_e})",
     "不是能读取的 XLSX 工作簿（文件可能已损坏）：请重新导出，或在 Excel / WPS 中另存为 CSV（UTF-8）。"),
    ("sheet '{sheet}' cannot be read ({_e})", "工作表“{sheet}”无法读取（可能已损坏）。"),
    ("the sheets hold different tables, each read as its own: {tables}",
     "各工作表是不同的表格，分别读取：{tables}。"),
    ("no header row; the columns were told by their values ({cols}) and every row is read as a call. If they are "
     "misread, add the header row or name the columns with --columns",
     "没有表头行：按各列的内容认出了各列（{cols}），每一行都按一通电话读取。"
     "如果认错了，请在 Excel 或 WPS 里给表格加上表头行（如“时间”“号码”“类型”“时长”）后重新上传。"),
    ("sheets hold different kinds of table ({kinds}); save each as its own file",
     "各工作表的表格种类不同（{kinds}）：请把每个工作表分别另存为一个文件后上传。"),
    # (the page has no --columns field: these cannot come from it, but say them plainly all the same)
    ("--columns must name the time column, e.g. --columns time=开始时间,number=号码", "指定列时必须包括时间列。"),
    ("--columns: column numbers start at 1", "指定列时，列号从 1 开始。"),
    ("--columns {value}: expected FIELD=COLUMN pairs, e.g. time=开始时间,number=号码,direction=类型,duration=时长",
     "指定列的写法 {value} 不对：应该像 time=开始时间,number=号码 这样。"),
    ("--columns: unknown field {value}; expected {choices}",
     "指定列时用了不认识的字段 {value}；应该是 {choices} 之一。"),
    ("--debtor {value} is not a phone number; expected e.g. 13912345678",
     F_DEBTOR + "填的 {value} 不是电话号码；这份账单要用号码来分打进和打出，例如 13912345678。"),
    ("refused: a DOCTYPE or entity declaration, which a backup export never has",
     "拒绝读取：文件里有 DOCTYPE 或实体声明，正常的手机备份不会有这些。"),
    ("refused: {detail}", "拒绝读取：{detail}"),
    ("not a readable XML backup ({_m})", "不是能读取的 XML 备份（XML 格式有误）。"),
    ("no row could be read: all {n} data row(s) were rejected (the first, line {line}: {reason})" + _MISREAD,
     "没有一行能读取：全部 {n} 行数据都无法读取（第一行是第 {line} 行：{reason}）。如果是列名没有认对，" + COLUMNS_ZH),
    ("no row could be read: all {n} data row(s) were rejected (the first, line {line}: {reason})",
     "没有一行能读取：全部 {n} 行数据都无法读取（第一行是第 {line} 行：{reason}）。"),
    # ---- the collector numbers (checker.parties)
    ("{value} is not a phone number (expected e.g. 13800138000, +86 138 0013 8000, 010-12345678, 4008001234)",
     "{value} 不是电话号码（应该像 13800138000、+86 138 0013 8000、010-12345678、4008001234 这样）。"),
    ("no numbers in the file; expected one collector number (or group) per line",
     "没有号码：每行写一个催收方的号码（同一方轮换使用的几个号码写在同一行）。"),
    ("no such file", "找不到这个文件。"),
    # ---- rejected rows
    ("{reason} (this row runs over lines {a}–{b}: a quoted cell with no closing quote?)",
     "{reason}（这一行从第 {a} 行一直延续到第 {b} 行：可能有一个引号没有闭合）"),
    ("not a readable table row ({reason})", "不是能读取的表格行（{reason}）"),
    ("not a readable table row ({detail})", "不是能读取的表格行（{detail}）"),
    ("the csv module cannot read it", "CSV 格式有误"),
    ("the row has {n} cell(s); the header on line {h} has {m}", "这一行有 {n} 个单元格，而第 {h} 行的表头有 {m} 列"),
    ("the row has {n} cell(s); --columns needs {m}", "这一行有 {n} 个单元格，指定的列需要 {m} 个"),
    ("call type '{value}' is not an Android call type ({_x})",
     "通话类型“{value}”不是安卓的通话类型代码（" + _ANDROID + "）"),
    ("call type '{value}' is a charge type (本地 / 长途 / 漫游), not who called; expected e.g. {_x}. Name the "
     "direction column with --columns direction=COLUMN",
     "通话类型“{value}”是计费类型（本地 / 长途 / 漫游），看不出是谁打给谁；应该是" + _CALL_TYPES),
    ("call type '{value}' is not known; expected e.g. {_x}", "不认识的通话类型“{value}”；应该是" + _CALL_TYPES),
    ("call status '{value}' is not known; expected e.g. 已接通, 未接通, 拒接",
     "不认识的通话状态“{value}”；应该是已接通、未接通、拒接等"),
    ("message type '{value}' is not known; expected e.g. 接收 / 发送, received / sent, or 1 (received) / 2 (sent)",
     "不认识的短信类型“{value}”；应该是接收 / 发送，或 1（接收）/ 2（发送）"),
    ("message type '{value}' is not known; expected 1 received or 2 sent",
     "不认识的短信类型“{value}”；应该是 1（接收）或 2（发送）"),
    ("MMS msg_box '{value}' is not known; expected 1 received or 2 sent",
     "不认识的彩信类型（msg_box）“{value}”；应该是 1（接收）或 2（发送）"),
    ("number '{value}' is in scientific notation (Excel rounded it; its last digits are lost); export again with "
     "the number column formatted as text",
     "号码“{value}”被 Excel 变成了科学计数法，最后几位已经丢失；请重新导出，并把号码列设成“文本”格式"),
    ("time '{value}' has a date but no clock time; expected e.g. 2024/3/5 7:58",
     "时间“{value}”只有日期，没有几点几分；应该像 2024/3/5 7:58 这样"),
    ("time '{value}' has no date; expected e.g. 2024/3/5 下午 9:13, or a date column",
     "时间“{value}”没有日期；应该像 2024/3/5 下午 9:13 这样，或者表格里另有日期列"),
    ("time '{value}' has no date and the date column is empty", "时间“{value}”没有日期，而日期列是空的"),
    ("date '{value}' is not a date; expected e.g. 2024/3/5", "日期“{value}”不是有效的日期；应该像 2024/3/5 这样"),
    ("no call type and no own number in the row to tell the direction; give your number with --debtor NUMBER",
     "这一行没有通话类型，也没有你的号码，分不出是打进还是打出；请在" + F_DEBTOR + "填写你的号码"),
    ("no number in the '{a}' or '{b}' column", "“{a}”列和“{b}”列都没有号码"),
    ("time '{value}' is not a date; expected e.g. {_x}", "时间“{value}”不是有效的日期时间；应该像 2024/3/5 7:58 这样"),
    ("time '{value}': the clock {clock} is out of range (hours 0–23, minutes and seconds 0–59)",
     "时间“{value}”里的钟点 {clock} 超出范围（小时 0–23，分和秒 0–59）"),
    ("time '{value}' is not a {_names} date (--date-order {order})",
     "时间“{value}”不符合所选的日期顺序（{order}）；可以在" + F_DATE_ORDER + "改选"),
    ("time '{value}' puts the {dm} first, but this column's other dates do not; the file mixes date orders",
     "时间“{value}”把{dm}放在前面，这一列的其他日期却不是这样：文件里混用了不同的日期顺序"),
    ("time '{value}' has the year last, not first (--date-order ymd); expected e.g. 24/03/05 7:58 or 2024/3/5 7:58",
     "时间“{value}”的年份在最后而不在最前，与所选的日期顺序（年/月/日）不符；应该像 24/03/05 7:58 或 2024/3/5 7:58 "
     "这样"),
    ("time '{value}' says {ap} but the hour is {h}; expected e.g. 上午 7:58 or 下午 9:13",
     "时间“{value}”写的是 {ap}，但小时是 {h}；应该像 上午 7:58 或 下午 9:13 这样"),
    ("time '{value}' has no year and the file does not say which; expected e.g. {_x}, or a line above the header "
     "that names the year (2025年3月)",
     "时间“{value}”没有年份，文件里也看不出是哪一年；应该像 2024/3/5 7:58 这样，"
     "或者在表头上方加一行写明年份（如“2025年3月”）"),
    ("time '{value}' has no year and the file does not say which; expected e.g. {_x}",
     "时间“{value}”没有年份，文件里也看不出是哪一年；应该像 2024/3/5 7:58 这样"),
    ("time '{value}' could be {m1} {d1} or {m2} {d2}, and no date in the file has a day over 12 to tell; say which "
     "with --date-order dmy (day first) or --date-order mdy (month first)",
     "时间“{value}”分不清是 {m1} 月 {d1} 日还是 {m2} 月 {d2} 日（文件里没有哪个日期的“日”大于 12，无法判断）；"
     "请在" + F_DATE_ORDER + "选好后再按“检查”"),
    ("time '{value}' could be {ymd} (year first, as Chinese phones write it) or {dmy} (day first), and "
     "the file's other dates do not tell; say which with --date-order ymd or --date-order dmy",
     "时间“{value}”分不清是 {ymd}（年份在前，国产手机常这样写）还是 {dmy}（日在前），"
     "文件里的其他日期也看不出；"
     "请在" + F_DATE_ORDER + "选好后再按“检查”"),
    ("time '{value}' does not put the year first, but this column's other dates do; the file mixes date orders",
     "时间“{value}”的年份不在前面，而这一列的其他日期年份都在前面；文件里混用了不同的日期顺序"),
    ("time '{value}' is a relative day ({word}), which cannot be put on the calendar without the day the list was "
     "exported; export the call log again with full dates, or write the export day above the header "
     "(导出时间：2025-03-31)",
     "时间“{value}”是相对的日子（{word}），不知道这份记录是哪天导出的，就排不到日历上；请重新导出带完整日期的记录，"
     "或者在表头上方写上导出日期（导出时间：2025-03-31）"),
    ("time '{value}' names yesterday's weekday, which a call list shows as 昨天; the day cannot be told from the "
     "export day {day}",
     "时间“{value}”写的星期几正是昨天的星期几（通话列表会把昨天写成“昨天”），按导出日期 {day} 无法确定是哪一天"),
    ("no time: the '{col}' column is empty", "没有时间：{col}是空的"),
    ("the time is empty", "时间是空的"),
    ("duration '{value}' is not a duration; expected e.g. {_x}",
     "通话时长“{value}”不是有效的时长；应该像 83、00:01:23 或 1分23秒 这样"),
    ("time {value} is no real date and time ({e})",
     "time 字段 {value} 不是真实存在的日期或时刻（例如 11 月没有 31 日）"),
    ("time must be an ISO 8601 string, got {type}", "time 字段必须是 ISO 8601 格式的字符串（实际是 {type}）"),
    ("time {value} is not ISO 8601 (e.g. 2025-03-14T21:37:00+08:00)",
     "time 字段 {value} 不是 ISO 8601 格式（例如 2025-03-14T21:37:00+08:00）"),
    ("{field} is {value}; expected one of {choices}", "{field} 字段是 {value}；应该是 {choices} 之一"),
    ("direction is {value}; expected in or out", "direction 字段是 {value}；应该是 in 或 out"),
    ("text must be a string", "text 字段必须是字符串"),
    ("labels must be a list of category ids", "labels 字段必须是类别 id 的列表"),
    ("duration_s must be a non-negative number, got {value}", "duration_s 字段必须是非负数（实际是 {value}）"),
    ("not valid JSON ({_m} at column {n})", "不是有效的 JSON（第 {n} 列附近格式有误）"),
    ("expected a JSON object, got {type}", "应该是一个 JSON 对象 {{…}}（实际是 {type}）"),
    ("element {n} is {type}, not a record object", "第 {n} 个元素是 {type}，不是记录对象"),
    ("{seg} {n} is a {type}, not an object", "第 {n} 个{seg}是 {type}，不是对象"),
    ("{seg} {n} has no text", "第 {n} 个{seg}没有文字"),
    ("a speaker label with no text after it", "只有说话人标签，后面没有内容"),
    ("a sentence row with no text (silence or a non-speech segment)", "这一行句子没有文字（静音或非语音片段）"),
    ("a title or header line of the transcript export, not anyone's words",
     "转写导出文件的标题或抬头行，不是任何人说的话"),
    ("a title line above the chat's first date, not a message", "聊天第一个日期之前的标题行，不是一条消息"),
    ("a header line above the transcript's first turn, not anyone's words",
     "转写第一句话之前的抬头行（如关键词），不是任何人说的话"),
    ("no '00:00:01,000 --> 00:00:04,000' timing line in this block",
     "这一段没有“00:00:01,000 --> 00:00:04,000”这样的时间行"),
    ("the cue's timing line '{value}' has an invalid time: {reason}", "字幕的时间行“{value}”有无效的时间：{reason}"),
    ("expected 'start --> end'", "应该是“开始 --> 结束”"),
    ("the {end} time '{value}' is not HH:MM:SS,mmm (milliseconds have at most three digits)",
     "{end}时间“{value}”不是“时:分:秒,毫秒”（HH:MM:SS,mmm）的格式（毫秒最多三位）"),
    ("the {end} time '{value}' has minutes or seconds over 59", "{end}时间“{value}”的分钟或秒数超过了 59"),
    ("no {end} time", "没有{end}时间"),
    ("a cue with no text", "这一段字幕没有文字"),
    ("a '昵称 时间' line with no message after it", "“昵称 时间”这一行后面没有消息内容"),
    ("a line before the first '昵称 2024-03-05 21:13:02' line: no sender or time",
     "这一行在第一个“昵称 2024-03-05 21:13:02”行之前：没有发送人，也没有时间"),
    ("the XML breaks off here ({_m}); nothing after line {n} can be read (was the backup cut short?); the backup says "
     "it holds {k} records and {r} were read: {lost} are lost",
     "XML 在这里中断：第 {n} 行之后的内容都无法读取（备份文件是否没有完整保存？）；备份自称有 {k} 条记录，读到 {r} 条，"
     "丢失 {lost} 条"),
    ("the XML breaks off here ({_m}); nothing after line {n} can be read (was the backup cut short?)",
     "XML 在这里中断：第 {n} 行之后的内容都无法读取（备份文件是否没有完整保存？）"),
    ("the backup says it holds {k} records (count=\"{c}\") but {r} are in it: check that the export is complete",
     "备份文件自称有 {k} 条记录，实际只有 {r} 条：请检查导出是否完整"),
    ("no date attribute", "没有 date（时间）属性"),
    ("date '{value}' is not epoch milliseconds", "date 属性“{value}”不是毫秒时间戳"),
    ("no type attribute; expected {_x}", "没有 type（类型）属性；应该是" + _ANDROID),
    # ---- why rows were filtered (the counts are in "N row(s) filtered: REASON")
    ("{n} row(s) filtered: {reason}", "{n} 行已过滤：{reason}"),
    ("a repeated header row", "重复的表头行"),
    ("a total line (合计 / 小计)", "合计 / 小计行"),
    ("a page marker (第1页 共2页)", "分页标记（第1页 共2页）"),
    ("a title line above the bill's calls (its month, the person's own number)",
     "账单通话记录上方的标题行（月份、本人号码等）"),
    ("a total or count line of the bill (共46条记录 / 合计), not a call",
     "账单的合计或条数行（共46条记录 / 合计），不是通话"),
    ("not a call: a call of this bill is a time line, then 主叫 / 被叫 with the number, the place and the duration",
     "不是通话：这种账单的每条通话应是一行时间，然后是主叫 / 被叫和号码、地点、时长"),
    ("a title line inside the table (a month's 通话详单 heading)", "表格中间的标题行（某个月的“通话详单”标题）"),
    ("a note line under the table (注：… / 温馨提示：… / 整理人：…)",
     "表格下方的说明行（注：… / 温馨提示：… / 整理人：…）"),
    ("a draft ({field} {n}), never sent", "草稿（{field} {n}），没有发出"),
    ("in the outbox ({field} {n}), not sent", "在发件箱里（{field} {n}），没有发出"),
    ("a message that failed to send ({field} {n})", "发送失败的短信（{field} {n}）"),
    ("a queued message ({field} {n}), not sent", "等待发送的短信（{field} {n}），没有发出"),
    ("a draft, never sent", "草稿，没有发出"),
    ("in the outbox, not sent", "在发件箱里，没有发出"),
    ("a message that failed to send", "发送失败的短信"),
    ("a queued message, not sent", "等待发送的短信，没有发出"),
    ("not a sent or received message ({value})", "不是发出或收到的短信（{value}）"),
    ("a WeChat system notice, not a message", "微信系统通知，不是聊天消息"),
    ("a picture, voice message, sticker, file or transfer: not text", "图片、语音、表情、文件或转账，不是文字消息"),
    ("a Telegram service message (a member joined, a message pinned …), not a message",
     "Telegram 的系统消息（有人加入、置顶消息等），不是聊天消息"),
    ("not a Telegram chat export (no \"messages\" list)", "这不是 Telegram 的聊天导出（没有 messages 列表）。"),
    ("a Telegram export that is not valid JSON ({e})", "这个 Telegram 导出不是有效的 JSON（{e}）。"),
    ("a chat app's system line (撤回了一条消息 / 以下为新消息), not a message",
     "聊天软件的系统提示（撤回了一条消息 / 以下为新消息），不是聊天消息"),
    ("a chat app's notice (end-to-end encryption, a security code), not anyone's words",
     "聊天软件自己写的提示（端到端加密说明、安全码变更），不是任何人说的话"),
    ("a Telegram export of all chats: {n} chat(s) read (your own messages by your account id)" + _TG_ALL,
     "这是 Telegram 全部聊天的导出：读了 {n} 个聊天（你自己发的消息按你的账号 ID 认出，不做判断）；" + _TG_ALL_ZH),
    ("a Telegram export of all chats: {n} chat(s) read" + _TG_ALL,
     "这是 Telegram 全部聊天的导出：读了 {n} 个聊天；" + _TG_ALL_ZH),
    ("a Telegram export of all chats with no chat messages in it",
     "这是 Telegram 全部聊天的导出，但里面没有聊天消息。"),
    ("a Telegram call with a relative (妈妈, 表哥 …), not a collector's",
     "和亲属（妈妈、表哥等）的 Telegram 通话，不是催收方的"),
    ("a Telegram service message (a date, a member joined …), not a message",
     "Telegram 的系统消息（日期行、有人加入等），不是聊天消息"),
    ("{n} message(s) have no time that could be read; they are read without a time (no contact-hours finding)",
     "{n} 条消息的时间读不出来；这些消息照样检查内容，但没有时间（不做联系时段的判断）。"),
    ("a Telegram chat with {chat}: the other sender ({other}) is taken for you and never judged; --debtor NAME "
     "says otherwise",
     "这是和 {chat} 的 Telegram 聊天：另一位发送人（{other}）被当作你本人，不做判断；如果不对，请在" + F_DEBTOR
     + "填你自己的名字。"),
    # ---- notes
    ("{db} (table {table}): line N is its row N-1 in row-id order, line 1 being the column names",
     "{db}（表 {table}）：第 N 行是表里按编号排列的第 N-1 条，第 1 行是列名。"),
    ("named like an Excel workbook but it is a text file; read as {fmt} (if that is wrong, give --input-format)",
     "文件名像 Excel 工作簿，其实是文本文件；已按“{fmt}”读取。"),
    ("some records have no \"id\"; each is named by its file and line ({_x})",
     "有些记录没有 \"id\"，这些记录以“文件名:行号”命名。"),
    ("ignored unknown field(s): {fields}", "忽略了不认识的字段：{fields}。"),
    ("a {ch} record with no \"text\": its field \"{f}\" holds the words (the batch contract reads them from "
     "\"text\"); not judged",
     "这条 {ch} 记录没有 \"text\" 字段，说的话写在“{f}”字段里（批量格式只从 \"text\" 读取）：没有检查。"),
    ("the file ends in the middle of a character (an incomplete UTF-8 sequence in its last bytes: the file was cut "
     "short?); it is read as UTF-8 and the cut character is shown as \ufffd — check the last row",
     "文件在一个字符的中间结束（最后几个字节是不完整的 UTF-8 字符：文件可能没有完整保存）；已按 UTF-8 读取，"
     "被截断的字符显示为 \ufffd，请检查最后一行。"),
    ("{n} table row(s) before the header on line {h} are a preamble, not data rows",
     "第 {h} 行表头之前的 {n} 行是说明文字（如账单抬头），不是数据行。"),
    ("{n} turn(s) carry an offset into the recording (line {line}) under a date line without a start time: they are "
     "read without a time (no contact-hours finding); write the call's start time above them (2026-10-12 14:00) to "
     "have them timed",
     "{n} 句话只有录音内的相对时间（第 {line} 行起），上方的日期行没有写开始时刻："
     "这些话不带时间读取（不做联系时段判断）；在上方写上通话开始时间（如 2026-10-12 14:00）即可判断时段。"),
    ("read as a call log; the column(s) {shown} are not read. If one holds what was said or written, name it with "
     "--columns (e.g. --columns text={col},time=…) so its words are judged",
     "按通话记录读取；{shown} 列没有读取。如果其中一列是说话或短信的文字，请用 --columns 指明（例如 --columns "
     "text=列名,time=…），这样这些文字才会被检查。"),
    ("{n} row(s) have more cells than the header on line {h} (line {lines}): read by the header's columns, the extra "
     "cells are not read; check those rows",
     "有 {n} 行的格子比第 {h} 行表头多（第 {lines} 行）：按表头的各列读取，多出的格子没有读；请核对这些行。"),
    ("{n} row(s) give the duration in words (line {lines}): read as calls whose length is unknown (counted as "
     "attempts, not as connected calls, unless their type says answered); check those rows",
     "有 {n} 行的通话时长是文字（第 {lines} 行，如“约两分钟”）：按时长不明的来电读取"
     "（算作联系尝试，除非类型写明已接通，否则不算接通）；请核对这些行。"),
    ("{n} line(s) before the header on line {h} are a preamble, not data rows",
     "第 {h} 行表头之前的 {n} 行是说明文字（如账单抬头），不是数据行。"),
    ("the '{col}' column holds no call type (e.g. '{ex}'); the '{a}' column is read as the call type",
     "{col}写的不是通话类型（如“{ex}”），改按“{a}”列读取通话类型。"),
    ("{n} time(s) written as a relative day (今天 / 昨天 / 前天 / 星期二) are dated from the export day {day} that "
     "the lines above the header name",
     "有 {n} 个时间写成相对的日子（今天 / 昨天 / 前天 / 星期二），已按表头上方写的导出日期 {day} 推算出日期。"),
    ("the '{col}' column holds charge types ({shown}), not the call direction, so it is not read as the call type; "
     "the '{a}' / '{b}' columns give the direction",
     "{col}写的是计费类型（{shown}），不是通话方向，所以不按通话类型读取；由“{a}”和“{b}”两列分打进和打出。"),
    ("the '{col}' column holds charge types ({shown}), not the call direction, so it is not read as the call type; "
     "there is no direction column (主叫 / 被叫), so every call is read as incoming; name the direction column with "
     "--columns direction=COLUMN if the file has one",
     "{col}写的是计费类型（{shown}），不是通话方向，所以不按通话类型读取；表格里没有方向列（主叫 / 被叫），"
     "所以每个电话都按打进来的电话读取。如果表格里其实有方向列，可以在 Excel 或 WPS 里把它的表头改成“呼叫类型”，"
     "另存为 CSV（UTF-8）后重新上传。"),
    ("no call-type column; {value} is in every row, so it is taken as your own number: a call is outgoing when the "
     "{names} column holds it, else incoming (give --debtor NUMBER if that is wrong)",
     "没有通话类型列；{value} 出现在每一行，所以把它当作你自己的号码：“{names}”列是这个号码的，算你打出的电话，"
     "其余算打进来的电话。如果不对，请在" + F_DEBTOR + "填写你的号码。"),
    ("no call-type column; your number {value} (from {how}) says the direction: outgoing when it is in the '{a}' "
     "column, else incoming",
     "没有通话类型列；用你的号码 {value}（来自{how}）分方向：“{a}”列是这个号码的，算你打出的电话，其"
     "余算打进来的电话。"),
    ("{n} row(s) have your number in neither the '{a}' nor the '{b}' column (a forwarded call?); they are read as "
     "incoming calls from the '{a}' number",
     "有 {n} 行的“{a}”列和“{b}”列都不是你的号码（可能是呼叫转移？），这些行按“{a}”列的号码打进来的电话读取。"),
    ("dates like 3/5/2024 are read month first (March 5), the US order that goes with an AM/PM clock; no date in "
     "the file has a day over 12 to confirm it; --date-order dmy reads them day first",
     "像 3/5/2024 这样的日期按“月/日/年”读取（3 月 5 日），这是与 AM/PM 时钟一起使用的美国写法；文件里没有哪个日期的"
     "“日”大于 12 可以确认。如果应该是“日/月/年”，请在" + F_DATE_ORDER + "选“日/月/年”。"),
    ("the message table has no direction column (received / sent), so every message is taken as received and "
     "judged as the collector side" + _MSG_DIR_HOW,
     "短信表格没有收发方向（接收 / 发送）一列，所以每条短信都当作收到的短信，按催收方一侧判断。" + _MSG_DIR_ZH),
    ("the row has {n} cells and the header on line {h} has {m}: with one space between cells, a cell with a "
     "space in it cannot be told apart; download the bill's XLSX / CSV",
     "这一行有 {n} 个单元格，而第 {h} 行的表头有 {m} 列：各列之间只隔一个空格，分不清哪个空格在单元格里面；"
     "请下载详单的 XLSX / CSV 版本再检查。"),
    ("{n} row(s) with no text whose '{col}' column names a call ({shown}) are read as calls, not messages",
     "{n} 行没有文字、{col}写的是通话（{shown}），按通话读，不当短信。"),
    ("{n} message(s) whose '{col}' column says no direction ({shown}) are taken as received and judged as the "
     "collector side" + _MSG_DIR_HOW,
     "有 {n} 条短信的{col}没有说明收发方向（{shown}），当作收到的短信，按催收方一侧判断。" + _MSG_DIR_ZH),
    ("{what} {labels} do not say who is the collector; they are read as 'unknown' and judged as the collector side. "
     "If {first} is the collector, give --collector-speaker {first} (the others are then the debtor's side); if "
     "{first} is the debtor (you), give --debtor {first} and those lines are not judged.",
     "{what} {labels} 没有说明谁是催收员，目前都按催收方一侧判断。如果其中有你自己在聊天里的名字，请在上面" + F_DEBTOR
     + "填你自己在聊天里的名字，你说的话就不再判断；如果 {first} 是催收员，也可以在" + F_SPEAKER
     + "填 {first}（其他人就算你这一方）。"),
    ("{what} {labels} do not say who is the collector; they are read as 'unknown' and judged as the collector side. "
     "Give --debtor YOUR_NAME (your own name among them) and your lines are not judged while everyone else's are; "
     "--collector-speaker {first} would make every other sender, other collectors too, the debtor's side.",
     "{what} {labels} 没有说明谁是催收员，目前都按催收方一侧判断；如果其中有你自己的名字，你说的话也会被判断。"
     "这时请在上面" + F_DEBTOR
     + "填你自己在聊天里的名字（{labels} 里你的那个），你说的话就不再判断，其余的人都按对方（催收方一侧）判断。"
     "聊天里有好几个人时不要只在" + F_SPEAKER + "填一个催收员（例如 {first}）：其他人（包括别的催收员）就都会"
     "算成你这一方。"),
    ("{what} {labels} do not say who is the collector; they are read as 'unknown' and judged as the collector side. "
     "If {first} is the collector, give --collector-speaker {first} (the others are then the debtor's side).",
     "{what} {labels} 不是你填写的名字，都按对方（催收方一侧）判断。如果其中只有一个是催收员，可以在" + F_SPEAKER
     + "填催收员的名字（例如 {first}），其他人就算你这一方。"),
    ("{what} {labels} do not say who is the collector; {agent} speaks as the agent (「{cue}」) and {other} says "
     "nothing collcheck reads so, so {agent}'s lines are judged as the collector's and {other}'s are read as the "
     "debtor's side and not judged. If that is wrong, give --collector-speaker {other}.",
     "{what} {labels} 没有说明谁是催收员。{agent} 像催收员那样说话（「{cue}」：报出机构或工号、点名找人或讲欠款），"
     "collcheck 在 {other} 的话里没有读到这样的说法，所以按 {agent} 是催收员判断，{other} 的话算你这一方，不判断。"
     "如果弄反了，请在" + F_SPEAKER + "填 {other}。"),
    ("{what} {labels} do not say who is the collector; {agent} speaks for the company (我们) to 您 and {other} only "
     "to and of 你们, so {agent}'s lines are judged as the collector's and {other}'s are read as the debtor's side "
     "and not judged. If that is wrong, give --collector-speaker {other}.",
     "{what} {labels} 没有说明谁是催收员。{agent} 以公司（我们）的口气对“您”说话，{other} 只对“你们”说话，"
     "所以按 {agent} 是催收员判断，{other} 的话算你这一方，不判断。如果弄反了，请在" + F_SPEAKER + "填 {other}。"),
    ("{what} {labels} do not say who is the collector; {agent}'s name reads as the lender's or agency's and "
     "{other}'s does not, so {agent}'s lines are judged as the collector's and {other}'s are read as the debtor's "
     "side and not judged. If that is wrong, give --collector-speaker {other}.",
     "{what} {labels} 没有说明谁是催收员。{agent} 的名字像贷款机构或催收公司的，{other} 的不像，所以按 {agent} "
     "是催收员判断，{other} 的话算你这一方，不判断。如果弄反了，请在" + F_SPEAKER + "填 {other}。"),
    ("--collector-speaker {labels} does not occur as a label", F_SPEAKER + "填的 {labels} 没有作为说"
     "话人出现在文字里。"),
    ("--debtor {labels} does not occur as a label", F_DEBTOR + "填的 {labels} 没有作为说话人出现在文字里。"),
    ("a QQ chat export with {other} (消息对象); the other messages are {owner}'s, the account that exported the "
     "chat. If that is the debtor (you), give --debtor {owner} and those messages are not judged.",
     "这是与 {other} 的 QQ 聊天导出（消息对象）；其余消息是导出聊天记录的账号 {owner} 发的。如果那就"
     "是你，请在" + F_DEBTOR
     + "填 {owner}，这些消息就不再判断。"),
    ("your number {value} (from {how}) says who sent each message: you, when it is in the '{a}' column, else the "
     "other party",
     "用你的号码 {value}（来自{how}）分谁发的短信：“{a}”列是这个号码的，算你发出的，其余算对方发来的。"),
    ("the '{col}' column says the rows are text messages (短信 / 彩信, 接收 / 发送), not calls: read as messages "
     "without their text, each a contact at its time (never a call)",
     "从“{col}”列看，这些行是短信（短信 / 彩信，接收 / 发送），不是电话：按没有内容的短信读取，每条算一次联系"
     "（不算电话）。"),
    ("{n} message block(s) have no time (时间 / Date); they are read without one (no contact-hours finding)",
     "有 {n} 条短信没有时间（时间 / Date）；这些短信按没有时间读取（不判断联系时段）。"),
    ("{n} date(s) without a year (line {line}: '{value}') are read in {year}, the year the file names",
     "有 {n} 个日期没有年份（例如第 {line} 行的“{value}”），按文件里写明的 {year} 年读取。"),
    ("{n} date(s) without a year (line {line}: '{value}') and the file names no year: those lines are read without "
     "a time (no contact-hours finding); write the year (2025年3月5日 22:15) to have them timed",
     "有 {n} 个日期没有年份（例如第 {line} 行的“{value}”），文件里也没有写明年份：这些行按没有时间读取"
     "（不判断联系时段）；写上年份（如 2025年3月5日 22:15）就能按时间判断。"),
    ("{n} line(s) give a relative day (line {line}: '{value}') that cannot be put on the calendar: the {m} line(s) "
     "under them are read without a time (no contact-hours finding); write the date (2025-03-05 21:12) to have them "
     "timed",
     "有 {n} 行写的是相对的日子（例如第 {line} 行的“{value}”），无法换算成日期：下面的 {m} 行按没有时间读取"
     "（不判断联系时段）；写上日期（如 2025-03-05 21:12）就能按时间判断。"),
    ("{n} line(s) begin with a date like 03/12/2024 whose order nothing in the file shows (line {line}: '{value}'); "
     "they are read without a time. Give --date-order dmy (day first, 3 December) or mdy (month first, 12 March)",
     "有 {n} 行以 03/12/2024 这样的日期开头，文件里看不出是日在前还是月在前（例如第 {line} 行的“{value}”）；"
     "这些行按没有时间读取。请在" + F_DATE_ORDER + "里选择“日/月/年”或“月/日/年”。"),
    ("{n} line(s) begin with a date that was not read as a time (line {line}: '{value}'); they are read without a "
     "time. Write dates as 2025-03-05 21:12 (or give --input-format if the file is not a transcript or typed chat)",
     "有 {n} 行以日期开头，但没能读成时间（例如第 {line} 行的“{value}”）；这些行按没有时间读取。日期请写成 "
     "2025-03-05 21:12 这样。"),
    ("{n} header(s) with a date without a year (line {line}) are read in the year the chat names "
     "(from the full date above them)",
     "有 {n} 条消息的日期没有年份（例如第 {line} 行），按上方完整日期里的年份读取。"),
    ("{n} header(s) with a date without a year (line {line}) are read in the year the chat names ({year})",
     "有 {n} 条消息的日期没有年份（例如第 {line} 行），按聊天记录里写明的 {year} 年读取。"),
    ("{n} header(s) with a date without a year (line {line}) and the chat names no year: those messages are read "
     "without a time (no contact-hours finding); write the year (2025年3月5日 22:15) to have them timed",
     "有 {n} 条消息的日期没有年份（例如第 {line} 行），聊天记录里也没有写明年份：这些消息按没有时间读取"
     "（不判断联系时段）；写上年份（如 2025年3月5日 22:15）就能按时间判断。"),
    ("a message block with no message (内容 / the lines after From: / To:)",
     "这条短信没有内容（内容 / From: / To: 下面的行）"),
    ("time '{value}' has no date and clock; expected e.g. 2025-03-05 21:12:00",
     "时间“{value}”没有完整的日期和钟点；应该像 2025-03-05 21:12:00 这样"),
    ("a line outside any message block (no 发件人 / 收件人 / 时间 above it)",
     "这一行不在任何一条短信里（上面没有 发件人 / 收件人 / 时间）"),
    ("a system message (系统消息 / 系统提示), not a message of anyone's",
     "系统消息（系统消息 / 系统提示），不是谁发的消息"),
    ("sheet '{sheet}' has no call-log or message header; not read",
     "工作表“{sheet}”没有通话记录或短信的表头，没有读取。"),
    ("the XML holds no {kind} records", "XML 里没有 {kind} 记录。"),
    ('{n} call(s) in {fb} are also in {fa}: counted once (the same '
     'number, direction and start time within {secs} seconds; those '
     'rows of {fb} are counted as filtered)',
     '“{fb}”里有 {n} 个电话在“{fa}”里也有（同一号码、同一方向、开始时间相差不到 {secs} 秒）：只算一次'
     '，“{fb}”里的这些行算作已过滤。'),
    ('{n} message(s) in {fb} are also in {fa}: counted once (the same sender or recipient, direction and text, '
     'sent within {secs} seconds; those rows of {fb} are counted as filtered)',
     '“{fb}”里有 {n} 条消息在“{fa}”里也有（同一发件人或收件人、同一方向、同样的内容，发送时间相差不到 {secs} 秒）：'
     '只算一次，“{fb}”里的这些行算作已过滤。'),
    ('{n} date(s) without a year ({wh}) and the file nam'
     "es no year: read in {ys} (WeChat shows this year's"
     ' messages without a year; the year is that of the '
     'day the file was read); write the year (2025年3月5日 '
     '22:15) if that is wrong',
     '有 {n} 个日期没有写年份（{wh}），文件里也没有年份：按 {ys} 年读取（微信对今年的消息不显示年份，'
     '所以按读取文件这一天所在的年份算）；如果不对，请把年份写上（如 2025年3月5日 22:15）。'),
    ('{n} date(s) without a year ({wh}) and the file nam'
     "es no year: read in {ys} (WeChat shows this year's"
     ' messages without a year; the year is that of the '
     'day the file was read, the year before for a date '
     'later than that day); write the year (2025年3月5日 22'
     ':15) if that is wrong',
     '有 {n} 个日期没有写年份（{wh}），文件里也没有年份：按 {ys} 年读取（微信对今年的消息不显示年份，'
     '所以按读取文件这一天所在的年份算，'
     '晚于这一天的日期算作前一年）；如果不对，请把年份写上（如 2025年3月5日 22:15）。'),
    ('{n} header(s) or date line(s) with a date without '
     'a year ({wh}) and the file names no year: read in '
     "{ys} (WeChat shows this year's messages without a "
     'year; the year is that of the day the file was rea'
     'd); write the year (2025年3月5日 22:15) if that is wr'
     'ong',
     '有 {n} 个消息抬头或日期行没有写年份（{wh}），文件里也没有年份：按 {ys} 年读取（微信对今年的消息'
     '不显示年份，所以按读取文件这一天所在的年份算）；如果不对，请把年份写上（如 2025年3月5日 22:15）'
     '。'),
    ('{n} header(s) or date line(s) with a date without '
     'a year ({wh}) and the file names no year: read in '
     "{ys} (WeChat shows this year's messages without a "
     'year; the year is that of the day the file was rea'
     'd, the year before for a date later than that day)'
     '; write the year (2025年3月5日 22:15) if that is wron'
     'g',
     '有 {n} 个消息抬头或日期行没有写年份（{wh}），文件里也没有年份：按 {ys} 年读取（微信对今年的消息不显示年份，'
     '所以按读取文件这一天所在的年份算，晚于这一天的日期算作前一年）；如果不对，请把年份写上（如 2025年3月5日 22:15）'
     '。'),
    ('this PDF looks like an itemised call bill ({n} lines with a '
     'date, a time and a phone number), but collcheck could not read '
     'it as a table (no header row it knows, or columns that run together); '
     'it was not read as a transcript. Download the Excel (XLSX) or '
     'CSV version of the bill and scan that',
     '这个 PDF 看起来是通话详单（有 {n} 行带日期、时间和电话号码），但没能按表格读出来（认不出表头，或'
     '者各列的文字连在了一起）'
     '，所以没有检查。请到营业厅网站或 App 下载 Excel（XLSX）或 CSV 格式的详单再上传。'),
    ('this file looks like an itemised call bill ({n} lines with a '
     'date, a time and a phone number), but collcheck could not read '
     'it as a table (no header row it knows, or columns that run together); '
     'it was not read as a transcript. Download the Excel (XLSX) or '
     'CSV version of the bill and scan that, or name the columns with '
     '--columns time=COLUMN,number=COLUMN,direction=COLUMN,duration=COLUMN. '
     'If the calls were typed or copied by hand, one per line (2025-04-01 06:55 '
     '17012340001 未接), give --input-format call-list',
     '这个文件看起来是通话详单（有 {n} 行带日期、时间和电话号码），但没能按表格读出来（认不出表头，或'
     '者各列的文字连在了一起）'
     '，所以没有检查。请下载 Excel（XLSX）或 CSV 格式的详单再上传，或者在 Excel / WPS 里把表头改成 '
     '时间 / 号码 / 类型 / 时长。'),
    ('an old Word document (.doc), which collcheck cannot read; open '
     'it in Word or WPS and save it as .docx (Word 文档), or copy its '
     'text into a .txt file, then scan that',
     '这是旧版 Word 文档（.doc），读不了：请在 Word 或 WPS 里另存为 .docx（Word 文档），或者把文字复制'
     '粘贴到上面的文本框里。'),
    ("a Word document with no text (a picture or a scan?); type or paste the chat's text into it or i"
     'nto a .txt file, then scan that',
     '这个 Word 文档里没有文字（可能只有图片或扫描件）：请把聊天内容的文字复制粘贴到上面的文本框里。'),
    ('a damaged Word (.docx) file ({ex}); open it in Word or WPS and save it again, or copy its text into a .txt file',
     '这个 Word 文档（.docx）已损坏：请在 Word 或 WPS 里打开后重新保存，或者把文字复制粘贴到上面的文本框里。'),
    ("a Word document too large to read ({mb} MB of text markup); copy the chat's text into a .txt file and scan that",
     '这个 Word 文档太大，读不了：请把聊天内容的文字复制粘贴到上面的文本框里。'),
    ('a Word document with a DOCTYPE or entity declaration, which '
     'Word never writes; copy its text into a .txt file and scan that',
     '这个 Word 文档的格式不正常（不像是 Word 保存的）：请把文字复制粘贴到上面的文本框里。'),
    # ---- chat call notices, e-mails, .vmsg backups, bills whose 呼叫类型 says only how calls went
    ("{n} voice / video call notice(s) in the chat ([语音通话] 通话时长 …, 语音通话 已取消, 视频通话 已拒绝) "
     "are read as calls: from the other party an incoming call at that time (answered with a duration, "
     "rejected for 拒绝, missed for 取消 / 未接听), counted for contact hours and frequency; their words are "
     "never judged as a message",
     "聊天里有 {n} 条语音 / 视频通话记录（[语音通话] 通话时长 …、语音通话 已取消、视频通话 已拒绝），按通话来算："
     "对方打来的算一次来电（有通话时长的是接通，“拒绝”是拒接，“取消 / 未接听”是未接），计入联系时段和次数的判断；"
     "这些提示文字本身不当作消息检查。"),
    ("the e-mail's Date: line is missing or does not read; it has no time",
     "这封邮件没有“Date:”（发送时间）一行，或者读不出来；这封邮件没有时间（不做联系时段的判断）。"),
    ("an e-mail (From: {sender}) is read as one written message with its subject and text",
     "这是一封电子邮件（发件人：{sender}），连同主题和正文按一条书面消息检查。"),
    ("an e-mail with no text (no text/plain or text/html part)",
     "这封邮件没有文字正文（没有 text/plain 或 text/html 部分）"),
    ("the '{a}' column says only how calls went (e.g. '{b}') and the '{c}' column says who called (主叫 / 被叫): that "
     "column gives the direction, so a 未接通 on a 被叫 row is a missed incoming call",
     "“{a}”一列只写了通话结果（如“{b}”），“{c}”一列写了谁打给谁（主叫 / 被叫）：呼叫方向按“{c}”一列来读，所以被叫行上的"
     "“未接通”是一个没接到的来电。"),
    ("{n} message(s) have no Date: line; they are read without a time",
     "有 {n} 条消息没有“Date:”（时间）一行；这些消息照样检查内容，但没有时间（不做联系时段的判断）。"),
    ("a message block (BEGIN:VMSG) with no END:VMSG: the file is cut short here",
     "这一条短信（BEGIN:VMSG）没有结尾的 END:VMSG：文件在这里被截断了"),
    ("a message block with no text (BEGIN:VBODY … END:VBODY)", "这一条短信没有文字内容（BEGIN:VBODY … END:VBODY）"),
    ("folder X-BOX:{box} is not known; expected INBOX, SENDBOX or DRAFT",
     "短信所在的文件夹“X-BOX:{box}”认不出；应该是 INBOX（收件箱）、SENDBOX（已发送）或 DRAFT（草稿）"),
    ("time '{value}' has no date and clock; expected e.g. 2025/03/05 21:40:02",
     "时间“{value}”没有完整的日期和钟点；应该像 2025/03/05 21:40:02 这样"),
    # ---- call evidence written as text (checker.io.calllist): recordings listed, blocked-call lists, screenshots
    ("a line of the listing that names no recording (total, <DIR>, 个文件)",
     "文件列表里不是录音文件的行（total、<DIR>、个文件 等）"),
    ("a line between or after the calls that names no call", "夹在通话之间或写在最后、不是一通电话的行"),
    ("recording '{name}': no start time in the file name (expected e.g. 13800001111_20250304_071502.m4a or "
     "通话录音@张三(13800001111)_20250304071502.amr)",
     "录音“{name}”：文件名里没有通话开始时间（应该像 13800001111_20250304_071502.m4a 或 "
     "通话录音@张三(13800001111)_20250304071502.amr 这样）"),
    ("recording '{name}': the file name gives the day without a year ({value}); list the folder with `ls -l` or "
     "`dir` (their dates carry the year) or write the year on a line above the list (2025年 通话录音)",
     "录音“{name}”：文件名里的日子没有年份（{value}）；请连同文件日期一起列出录音文件夹（带年份的文件日期），"
     "或者在列表上方写一行年份（如“2025年 通话录音”）"),
    ("recording '{name}': '{value}' is not a date and time", "录音“{name}”：“{value}”不是有效的日期和时间"),
    ("recording '{name}': no phone number in the file name", "录音“{name}”：文件名里没有电话号码"),
    ("'{value}' has a clock but no day: a phone's call list shows only the clock for today's calls; write the day "
     "the list was taken on a line above it (截图时间：2025-03-23 22:10)",
     "“{value}”只有钟点，没有日子：手机的通话列表只给今天的电话显示钟点；请在列表上方写一行截图日期"
     "（截图时间：2025-03-23 22:10）"),
    ("'{value}': the list shows only the day ({day}), not the time of the call — a phone's call list gives the "
     "clock for today's calls only; open the entry (ⓘ) on the phone and copy each call's time",
     "“{value}”：列表上只显示日子（{day}），没有这通电话的钟点——手机的通话列表只给今天的电话显示钟点；"
     "请在手机上点开这一条（ⓘ），把每一通的时间抄下来"),
    ("a clock above the list that names no caller (a screenshot's status bar)",
     "列表上方没有号码或名字的钟点（截图顶部状态栏的时间），不是一通电话"),
    ("a form's time field (首次骚扰时间：…), not a call", "表格里的时间栏（如“首次骚扰时间：…”），不是一通电话"),
    ("'{value}' is not a day and a time", "“{value}”不是日子加钟点"),
    ("'{value}' is a relative day, which cannot be put on the calendar without the day the list was taken: write "
     "it on a line above the list (截图时间：2025-03-23 22:10)",
     "“{value}”是相对的日子（今天 / 昨天 / 星期几），不知道这份列表是哪天截的图，就排不到日历上；"
     "请在列表上方写一行截图日期（截图时间：2025-03-23 22:10）"),
    ("'{value}' has no year: write the day the list was taken on a line above it (截图时间：2025-03-23 or "
     "导出时间：…) or a title naming the year (2025年3月 骚扰拦截记录)",
     "“{value}”没有年份：请在列表上方写一行截图或导出日期（截图时间：2025-03-23 或 导出时间：…），"
     "或者写一行带年份的标题（2025年3月 骚扰拦截记录）"),
    ("call {j} of the {k} grouped as '{head}': a call list shows only the latest call's time of a group; open the "
     "group on the phone and copy each call's time",
     "“{head}”这一组 {k} 通电话中的第 {j} 通：通话列表只显示一组里最后一通的时间；请在手机上点开这一组，"
     "把每一通的时间抄下来"),
    ("'{value}' has no time on its line or below it", "“{value}”这一行和下面都没有时间"),
    ("{n} call recording(s) are read from their file names as answered incoming calls at the time in the name; a "
     "file name does not say who dialled, so remove the recordings of your own calls to a collector's number (or "
     "rename them with 呼出) before scanning",
     "{n} 个通话录音按文件名读成已接通的来电，时间是文件名里的时间；文件名不说明是谁打给谁，"
     "所以请先去掉你自己打给催收号码的录音（或在文件名里加上“呼出”），再检查。"),
    ("{n} call(s) written as 今天 / 昨天 / a weekday are dated from the day the list names ({day})",
     "有 {n} 通电话写的是“今天 / 昨天 / 星期几”，按列表上写的日期（{day}）排到日历上。"),
    ("{n} call(s) whose entry says neither 呼入 / 呼出 nor 未接 / 拦截 (a screenshot's arrow icons are lost in OCR) "
     "are read as incoming calls of unknown outcome",
     "有 {n} 通电话没写“呼入 / 呼出”也没写“未接 / 拦截”（截图里的箭头图标识别文字时会丢失），"
     "按结果不明的来电读取。"),
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_SHEET = re.compile(r"sheet '(?P<sheet>[^']*)': ", re.S)


def _compile(shape: str) -> re.Pattern[str]:
    out, pos, seen = [], 0, set()
    for m in _PLACEHOLDER.finditer(shape):
        out.append(re.escape(shape[pos:m.start()]))
        name = m.group(1)
        if name in seen:
            out.append(f"(?P={name})")
        elif name in CHOICES:
            out.append(f"(?P<{name}>{'|'.join(re.escape(k) for k in sorted(CHOICES[name], key=len, reverse=True))})")
        else:
            out.append(f"(?P<{name}>.+?)")
        seen.add(name)
        pos = m.end()
    out.append(re.escape(shape[pos:]))
    return re.compile("".join(out), re.S)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((_compile(shape), zh) for shape, zh in SHAPES)


def body_zh(text: str) -> str | None:
    """The Chinese for one message body (no file prefix), or None when no shape knows it."""
    prefix = ""
    m = _SHEET.match(text)
    if m:
        prefix, text = f"工作表“{m.group('sheet')}”：", text[m.end():]
    for pattern, zh in _compiled():
        m = pattern.fullmatch(text)
        if m is None:
            continue
        parts: dict[str, str] = {}
        for k, v in m.groupdict().items():
            if k == "reason":
                inner = body_zh(v)
                if inner is None:
                    break  # a reason inside this shape is unknown: try a wider shape, or fall back
                parts[k] = inner.rstrip("。")
            elif k in CHOICES:
                parts[k] = CHOICES[k][v]
            else:
                parts[k] = CONVERT.get(k, str)(v)
        else:
            return prefix + zh.format(**parts)
    return None


class Plain:
    """The readers' messages as the page shows them, in the page's language.

    ``labels`` names the request's inputs as the person knows them (the pasted text, the
    collector numbers field, an uploaded file); a message is prefixed with the label of
    the input it begins with."""

    def __init__(self, lang: str, labels: Mapping[str, str] | None = None):
        self.lang = lang
        self.labels = dict(labels or {})

    def label(self, name: str) -> str:
        if name in self.labels:
            return self.labels[name]
        return PASTED if name == "stdin" else f"文件“{name}”"

    def _split(self, message: str, names: Iterable[str]) -> tuple[str | None, str | None, str]:
        """(input name, line, body) of a "NAME: body" / "NAME:LINE: body" message."""
        for name in sorted(names, key=len, reverse=True):
            if message.startswith(name + ":"):
                rest = message[len(name) + 1:]
                m = re.match(r"(\d+): ?", rest)
                if m:
                    return name, m.group(1), rest[m.end():]
                return name, None, rest.removeprefix(" ")
        return None, None, message

    def _zh(self, message: str, names: Iterable[str], show_input: bool) -> str:
        names = [*names, *self.labels]
        name, line, body = self._split(message, names)
        # a note can hold several ("FILE: one. FILE: two"): each says its own thing
        pieces = body.split(f" {name}: ") if name else [body]
        out = []
        for piece in pieces:
            zh = body_zh(piece)
            out.append(zh if zh is not None else UNKNOWN_ZH.format(text=piece))
        text = "".join(p if p.endswith(("。", "）", "？")) else p + "。" for p in out[:-1]) + out[-1]
        if name is None or not show_input:
            return text if name is None or line is None else f"第 {line} 行：{text}"
        where = self.label(name) + (f"第 {line} 行" if line else "")
        return f"{where}：{text}"

    # ---------------------------------------------------------------- the three kinds
    def error(self, message: str, names: Iterable[str] = ()) -> str:
        """An input error (checker.io.InputError, checker.pipeline.unreadable_inputs,
        checker.parties.PartiesError): the input it names, then what is wrong."""
        if self.lang != "zh":
            return message
        return self._zh(message, names, show_input=True)

    def reason(self, reason: str) -> str:
        """A rejected row's reason (the line is shown beside it)."""
        if self.lang != "zh":
            return reason
        zh = body_zh(reason)
        return zh if zh is not None else UNKNOWN_ZH.format(text=reason)

    def note(self, note: str, file: str) -> str:
        """A reader's note, shown inside its file's box (so without the file's name)."""
        if self.lang != "zh":
            return note.removeprefix(f"{file}: ")
        return self._zh(note, [file], show_input=False)
