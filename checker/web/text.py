"""The web page's own words, in Chinese and English. The findings, messages and
provisions come from the rule pack and stay in the pack's language."""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")

UI: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "collcheck 催收合规检查",
        "other_lang": "English",
        "intro": "把催收电话的通话记录、短信或微信导出、通话录音的文字稿放进来，collcheck 会找出夜间来电、"
                 "频繁来电、骚扰家人同事、冒充公检法、威胁、辱骂等行为，并标出每一条违反的法律条文。",
        "privacy": "全部在你自己的电脑上处理：页面只在本机（127.0.0.1）打开，不连接互联网；上传的文件放在临时文件夹，"
                   "检查完立即删除，不留记录。",
        "step_text": "1. 粘贴通话文字或短信内容",
        "text_hint": "每句一行，最好写明是谁说的，例如「催收员：……」「我：……」；可以在行首写时间"
                     "「[2026-10-14 10:30:05]」。",
        "text_placeholder": "[2026-10-14 10:30:05] 催收员：你再不还钱，我们明天就上门找你。\n"
                            "[2026-10-14 10:30:20] 我：我会尽快还。",
        "step_files": "2. 或者选择文件（可多选）",
        "files_hint": "手机导出的通话记录（CSV / Excel / 运营商详单）、短信备份（XML / CSV）、微信聊天导出、"
                      "录音转写（TXT / SRT / VTT / JSON），也可以是手机备份里的短信、通话数据库（.db）。",
        "limit": "所有文件合计不超过 {mb} MB。",
        "step_parties": "3. 号码",
        "numbers": "催收方的号码",
        "numbers_hint": "每个催收方一行；同一方轮换使用的多个号码写在同一行，用逗号隔开，前面写上名称，"
                        "例如「速易借: 170 1234 5678, 165-9876-5432」（不写名称的几行会合在一起算作同一个催收方）。"
                        "不填则所有来电号码都按可能的催收方判断。",
        "debtor": "你自己的号码（被催收的号码；聊天记录里也可以填你的昵称）",
        "debtor_short": "债务人号码",
        "more": "更多选项",
        "pack": "规则包",
        "speaker": "催收员的说话人标签",
        "speaker_hint": "文字稿只写 A: / B: 或「说话人1:」时，可以填上哪个是催收员（例如 A）。"
                        "不填时 collcheck 会按双方说的话推断，并在结果里说明依据；推断错了再回来填。",
        "tz": "时区",
        "date_order": "日期顺序",
        "date_order_auto": "自动判断（分不清日和月的行不读取）",
        "date_order_dmy": "日/月/年：05/03/2024 是 3 月 5 日",
        "date_order_mdy": "月/日/年：05/03/2024 是 5 月 3 日",
        "date_order_ymd": "年/月/日：24/03/05 是 2024 年 3 月 5 日",
        "date_order_note": "有些日期（如 05/03/2024）分不清哪个是日、哪个是月，这些行没有读取；在“更多选项”里选好"
                           "“日期顺序”后再按“检查”。",
        "debtor_hint": "请在“你自己的号码”一栏填写你的号码，再按“检查”。",
        "sha256_html": "HTML 报告的 SHA-256",
        "download_sha_html": "下载 HTML 报告的校验文件（.sha256）",
        "download_sha_pdf": "下载 PDF 报告的校验文件（.sha256）",
        "sha_hint": "从这个检查结果下载的报告，生成时间都是这次检查的时间，内容与校验值一致。把报告和它的校验文件"
                    "（.sha256）一起保存；以后需要证明报告没有被改过时，懂电脑的人可以用它核对（sha256sum -c 或 "
                    "collcheck verify）。",
        "err_sha_needs_check": "请先按“检查”，再从检查结果里下载报告和它的校验文件：校验值只对应这次检查生成的报告。",
        "err_date_order": "日期顺序“{value}”无效；请从列表里选择。",
        "redact": "报告中遮盖个人信息（你的号码、其他人的号码和姓名、身份证号；催收号码保留）",
        "redact_names": "还要遮盖的姓名（用逗号隔开）",
        "check": "检查",
        "download_html": "下载 HTML 报告",
        "download_pdf": "下载 PDF 报告",
        "downloads_hint": "报告由同样的输入重新生成：请保持上面的文字和文件不变。",
        "noscript": "浏览器关闭了 JavaScript：检查结果会显示在新页面上，之后如要下载报告，需要重新选择文件。",
        "working": "正在检查，请稍候……",
        "result": "检查结果",
        "findings_n": "发现 {n} 条",
        "no_findings": "没有发现违规内容。",
        "period": "时间范围",
        "contacts": "联系次数",
        "contacts_text": "共 {contacts} 次：来电 {calls} 次（接通 {connected}，未接 / 拒接 {unanswered}），"
                         "短信 / 微信 {messages} 条；其中 22:00–08:00 {night} 次，21:00–22:00 {evening} 次",
        "read": "读取情况",
        "file": "文件",
        "pasted": "粘贴的文字",
        "format": "格式 / 编码",
        "rows": "数据行",
        "events": "已读取",
        "rejected": "无法读取",
        "filtered": "已过滤",
        "rejected_lines": "无法读取的行",
        "line": "第 {n} 行",
        "notes": "说明",
        "charts": "图表",
        "no_charts": "没有带日期的来电或消息，无法画出按日期和时段的图表。",
        "findings": "发现（按类别）",
        "time": "时间",
        "who": "号码 / 说话人",
        "source": "出处",
        "basis": "依据",
        "provision_text": "条文",
        "record": "记录",
        "records_n": "共计入 {n} 条记录",
        "judged_all": "没有填写催收号码：全部 {n} 个来电 / 来信号码都按可能的催收方判断。",
        "suspect": "{number} 像是催收号码：{reasons}",
        "suspect_name": "{number}（聊天里的发送者）像是催收方：{reasons}",
        "suspects_more": "……还有 {n} 个这样的号码",
        "suspect_hint": "在“催收方的号码”一栏填上催收号码后，只判断这些号码。",
        "exempt_contacts": "没有填写催收号码：文件里存为联系人的号码（{names}）的 {n} 次来电 / 来信不按催收判断，"
                           "计为已过滤。",
        "exempt_service": "运营商客服号码（{numbers}）的 {n} 次来电 / 来信不按催收判断，计为已过滤。",
        "exempt_hint": "在“催收方的号码”一栏填上催收号码，就只按你填写的号码判断。",
        "unlisted": "只判断你填写的催收号码：其他号码的 {n} 次来电 / 来信不按催收判断，计为已过滤。",
        "no_number": "{n} 次来电没有号码（隐藏号码、私人号码或空白），无法对应到你填写的催收号码，"
                     "不按催收判断，计为已过滤。",
        "shown_first": "这一类共 {n} 条，网页只列出前 {shown} 条；全部发现见下载的报告。",
        "err_busy": "另一项检查还在进行（可能是一个很大的文件）。请等它完成后再试；如果它一直没有结束，"
                    "请在启动它的黑色窗口里按 Ctrl+C 停止 collcheck serve，再重新启动。",
        "columns_hint": "网页上不能指定列名：可以在 Excel 或 WPS 里把表头改成 collcheck 认识的列名"
                        "（如“时间”“号码”“类型”“时长”，短信再加“内容”），另存为 CSV（UTF-8）后重新上传。",
        "speaker_note": "文字稿的说话人标签（如 A / B）没有说明谁是催收员，目前都按催收方一侧判断；"
                        "在“更多选项”里填写“催收员的说话人标签”后，只判断催收员说的话。",
        "disclaimer": "collcheck 不是法律意见。每条发现只指出证据和它可能违反的规定；"
                      "行为是否违法，由主管部门和法院认定。",
        "footer": "collcheck {version} · 仅在本机运行 · 用完后关闭这个页面，再在启动它的黑色窗口里按 Ctrl+C 即可停止",
        "next_steps": "下一步：下载的 PDF / HTML 报告里写明了可以去哪里投诉（12378 金融监管投诉热线、12321 网络不良"
                      "与垃圾信息举报、110 报警等），还附有一份投诉材料草稿，可以打印出来、核对后使用。",
        "sha_summary": "给核对用的校验码",
        "sev_legend": "严重 / 高：威胁人身安全、冒充公检法、伪造法律文书等最严重的行为；"
                      "中：夜间催收、一天接通超过 3 次等明显违反规定或行业标准的行为；"
                      "低：只是提示（例如 21:00–22:00 来电、一天来电超过 3 次），"
                      "没有明确的法定界限。",
        "tz_beijing": "时间均为北京时间。",
        "partial_error": "文件“{name}”无法读取：{msg}；其余文件的结果如下。去掉这个文件再点“检查”也可以。",
        "changed_hint": "输入改过了，和下面的检查结果不一致：请先按“检查”，再下载报告。",
        "more_occurrences": "展开其余 {n} 条",
        "occurrences": "共 {n} 条",
        "seen_in": "同一条记录，原话见上面“{title}”",
        "occ_shown_first": "这一条规则共 {n} 条，网页只列出前 {shown} 条；全部见下载的报告。",
        "back": "返回检查页面",
        "error_title": "出错了",
        "err_too_large": "上传的内容太大：所有文件和文字合计不能超过 {mb} MB。请分几次检查，或者用 "
                         "collcheck serve --max-upload-mb {more} 重新启动后再试。",
        "err_empty": "没有可检查的内容：请粘贴文字，或者选择至少一个文件。",
        "err_form": "无法读取提交的表单，请刷新页面后重试。",
        "err_too_many": "文件或字段太多（最多 {files} 个文件）。",
        "err_input": "有文件无法读取：{msg}",
        "gloss_image": "这是一张图片，不是导出的通话记录或短信。请把截图里的文字输入或粘贴到文本框里。",
        "gloss_encoding": "这个文件不是能识别的文本（可能是图片、压缩包或其他二进制文件，或编码特殊）。"
                          "请上传导出的 CSV / TXT，或在 Excel / WPS 中另存为“CSV UTF-8”后再试。",
        "gloss_empty": "文件是空的。",
        "gloss_pdf": "这个 PDF 里读不出通话或消息的文字（扫描件、加密或损坏）："
                     "请从运营商或手机导出 CSV / Excel 格式的详单，或把表格内容复制到文本文件。",
        "gloss_header": "没有认出这个表格的列名（时间、号码、类型、时长等）。",
        "err_numbers": "催收号码有误：{msg}",
        "err_pack": "规则包有错误：{msg}",
        "err_tz": "时区“{tz}”无效，请填写例如 Asia/Shanghai。",
        "err_font": "无法生成报告：{msg}",
        "err_changed": "输入和页面上显示的检查结果不一致（文件需要重新选择，或者内容改过了）。"
                       "请重新选择文件、点“检查”，再下载报告。",
        "err_internal": "collcheck 内部出错（{kind}），没有完成这次检查。你的文件没有保存。"
                        "请把操作步骤（不要附上个人信息）报告给开发者。",
        "err_host": "拒绝访问：这个页面只能通过 http://127.0.0.1:{port}/ 或 http://localhost:{port}/ 打开。",
        "err_origin": "拒绝访问：请求来自其他网站。请直接在 http://127.0.0.1:{port}/ 页面上操作。",
        "err_not_found": "没有这个页面。",
        "err_method": "不支持这种请求。",
        "err_network": "无法连接 collcheck：请确认终端里的 collcheck serve 还在运行。",
    },
    "en": {
        "html_lang": "en",
        "title": "collcheck debt-collection compliance check",
        "other_lang": "中文",
        "intro": "Put in a collector's call log, SMS or WeChat export, or a call transcript: collcheck finds calls "
                 "at night, too many calls, contacting family and colleagues, posing as police or a court, threats "
                 "and insults, and names the article each one breaks. Findings and provisions are in Chinese.",
        "privacy": "Everything runs on your own computer: the page opens only on this machine (127.0.0.1) and makes "
                   "no Internet connection; uploads go to a temporary folder that is deleted right after the check.",
        "step_text": "1. Paste a transcript or message text",
        "text_hint": "One turn per line, ideally with who spoke (催收员: / 我: …); a time like [2026-10-14 10:30:05] "
                     "may start a line.",
        "text_placeholder": "[2026-10-14 10:30:05] 催收员：你再不还钱，我们明天就上门找你。\n"
                            "[2026-10-14 10:30:20] 我：我会尽快还。",
        "step_files": "2. Or choose files (several at once)",
        "files_hint": "Phone call logs (CSV / Excel / carrier bills), SMS backups (XML / CSV), WeChat exports, "
                      "transcripts (TXT / SRT / VTT / JSON), or the message and call databases of a phone backup "
                      "(.db).",
        "limit": "All files together up to {mb} MB.",
        "step_parties": "3. Numbers",
        "numbers": "Collector numbers",
        "numbers_hint": "One collector per line; rotating numbers of one collector on one line, separated by commas, "
                        "after its name: 速易借: 170 1234 5678, 165-9876-5432 (lines without a name are pooled as "
                        "one collector). Empty: every incoming number is judged as a possible collector.",
        "debtor": "Your own number (the one being called; for a chat, your nickname also works)",
        "debtor_short": "Debtor's number",
        "more": "More options",
        "pack": "Rule pack",
        "speaker": "Collector's speaker label",
        "speaker_hint": "When a transcript only says A: / B: or 说话人1:, you may name the collector's label (e.g. A). "
                        "Left empty, collcheck tells them apart by what each says and shows why; name it if it got "
                        "them wrong.",
        "tz": "Time zone",
        "date_order": "Date order",
        "date_order_auto": "Automatic (rows whose day and month cannot be told apart are not read)",
        "date_order_dmy": "day/month/year: 05/03/2024 is 5 March",
        "date_order_mdy": "month/day/year: 05/03/2024 is May 3",
        "date_order_ymd": "year/month/day: 24/03/05 is 5 March 2024",
        "date_order_note": "Some dates (such as 05/03/2024) could be day first or month first, so those rows were "
                           "not read; choose the Date order under More options and press Check again.",
        "debtor_hint": "Fill in “Your own number” and press Check again.",
        "sha256_html": "SHA-256 of the HTML report",
        "download_sha_html": "Download the HTML report's checksum (.sha256)",
        "download_sha_pdf": "Download the PDF report's checksum (.sha256)",
        "sha_hint": "Reports downloaded from this result carry this check's time as their generation time and match "
                    "these checksums; check them with sha256sum -c or collcheck verify.",
        "err_sha_needs_check": "Press Check first, then download the report and its checksum from the result: a "
                               "checksum belongs to the report of that check.",
        "err_date_order": "Date order “{value}” is not one of the choices.",
        "redact": "Mask personal data in the report (your number, other people's numbers and names, ID numbers; "
                  "collector numbers stay)",
        "redact_names": "Also mask these names (comma-separated)",
        "check": "Check",
        "download_html": "Download HTML report",
        "download_pdf": "Download PDF report",
        "downloads_hint": "The report is built again from the same inputs: keep the text and files above unchanged.",
        "noscript": "JavaScript is off: the result opens as a new page; to download a report afterwards, choose the "
                    "files again.",
        "working": "Checking, please wait…",
        "result": "Result",
        "findings_n": "{n} finding(s)",
        "no_findings": "No violations found.",
        "period": "Period",
        "contacts": "Contacts",
        "contacts_text": "{contacts} in all: {calls} calls ({connected} answered, {unanswered} missed / rejected), "
                         "{messages} messages; {night} between 22:00 and 08:00, {evening} between 21:00 and 22:00",
        "read": "What was read",
        "file": "File",
        "pasted": "Pasted text",
        "format": "Format / encoding",
        "rows": "Data rows",
        "events": "Read",
        "rejected": "Rejected",
        "filtered": "Filtered",
        "rejected_lines": "Rejected lines",
        "line": "line {n}",
        "notes": "Notes",
        "charts": "Charts",
        "no_charts": "No dated calls or messages, so there are no per-day or per-hour charts.",
        "findings": "Findings by category",
        "time": "Time",
        "who": "Number / speaker",
        "source": "Source",
        "basis": "Provisions",
        "provision_text": "Text",
        "record": "record",
        "records_n": "{n} records counted",
        "judged_all": "No collector numbers given: all {n} incoming number(s) are judged as possible collectors.",
        "suspect": "{number} looks like a collection number: {reasons}",
        "suspect_name": "{number} (a chat sender) looks like a collector's account: {reasons}",
        "suspects_more": "… and {n} more such numbers",
        "suspect_hint": "List the collectors' numbers above to judge only them.",
        "exempt_contacts": "No collector numbers given: {n} incoming call(s) / message(s) from numbers the file names "
                           "as saved contacts ({names}) are not judged as collector contacts (counted as filtered).",
        "exempt_service": "{n} incoming call(s) / message(s) from the carriers' service numbers ({numbers}) are not "
                          "judged as collector contacts (counted as filtered).",
        "exempt_hint": "List the collectors' numbers above to judge exactly the numbers you list.",
        "unlisted": "Only the collector numbers you listed are judged: {n} incoming call(s) / message(s) from other "
                    "numbers are not (counted as filtered).",
        "no_number": "{n} incoming call(s) have no number (hidden, private or an empty cell) and cannot be tied to a "
                     "number you listed; they are not judged (counted as filtered).",
        "shown_first": "{n} findings in this category; the page lists the first {shown}. The downloaded report has "
                       "them all.",
        "err_busy": "Another check is still running (perhaps a very large file). Try again when it is done; if it "
                    "never ends, stop collcheck serve with Ctrl+C in its terminal and start it again.",
        "columns_hint": "The web page cannot name columns: run collcheck scan FILE --columns "
                        "time=COLUMN,number=COLUMN,direction=COLUMN,duration=COLUMN in a terminal.",
        "speaker_note": "The transcript's speaker labels (A / B …) do not say who the collector is, so all are "
                        "judged as the collector's side; fill in “Collector's speaker label” under More options "
                        "to judge only the collector's words.",
        "disclaimer": "collcheck is not legal advice. A finding points to evidence and the rule it may break; whether "
                      "conduct is unlawful is for the authorities and courts.",
        "footer": "collcheck {version} · runs on this computer only · stop it with Ctrl+C in the terminal",
        "next_steps": "Next: the downloaded PDF / HTML report lists where to complain (12378 financial regulator "
                      "hotline, 12321 spam and harassment reports, 110 police …) and includes a draft complaint to "
                      "print and check before use.",
        "sha_summary": "Checksums, for verification",
        "sev_legend": "Critical / high: threats to safety, posing as police or a court, forged legal papers — the "
                      "gravest; medium: night calls, more than 3 answered calls a day and other clear breaches of "
                      "rules or standards; low: a hint only (e.g. calls 21:00–22:00, more than 3 calls a day), no "
                      "legal limit.",
        "tz_beijing": "All times are Beijing time.",
        "partial_error": "The file “{name}” could not be read: {msg}; the results of the other files follow. You "
                         "can also remove this file and press Check again.",
        "changed_hint": "The inputs changed and no longer match the result below: press Check first, then download.",
        "more_occurrences": "Show the other {n}",
        "occurrences": "{n} findings",
        "seen_in": "The same record: its words are quoted above, under “{title}”",
        "occ_shown_first": "This rule fired {n} times; the page lists the first {shown} (the downloaded report has "
                           "them all).",
        "back": "Back to the check page",
        "error_title": "Something went wrong",
        "err_too_large": "The upload is too large: files and text together may not exceed {mb} MB. Check them in "
                         "parts, or restart with collcheck serve --max-upload-mb {more}.",
        "err_empty": "Nothing to check: paste some text or choose at least one file.",
        "err_form": "The form could not be read; reload the page and try again.",
        "err_too_many": "Too many files or fields (at most {files} files).",
        "err_input": "A file cannot be read: {msg}",
        "gloss_image": "This is an image, not an exported call log or message list. Type or paste the text of the "
                       "screenshot into the text box.",
        "gloss_encoding": "This file is not text collcheck can read (an image, an archive or another binary file, or "
                          "an unusual encoding). Upload the exported CSV / TXT, or save it as \"CSV UTF-8\" in Excel "
                          "or WPS.",
        "gloss_empty": "The file is empty.",
        "gloss_pdf": "collcheck could not read calls or messages from this PDF (a scan, locked or damaged): export "
                     "the bill as CSV or Excel from the carrier or phone, or copy its table into a text file.",
        "gloss_header": "The table's column names (time, number, type, duration …) were not recognised.",
        "err_numbers": "The collector numbers have a problem: {msg}",
        "err_pack": "The rule pack has an error: {msg}",
        "err_tz": "Time zone “{tz}” is not known; use e.g. Asia/Shanghai.",
        "err_font": "The report cannot be written: {msg}",
        "err_changed": "The inputs differ from the result shown (choose the files again, or the text was changed). "
                       "Choose the files, press Check, then download.",
        "err_internal": "collcheck hit an internal error ({kind}) and did not finish. Your files were not kept. "
                        "Please report what you did (without personal data) to the developers.",
        "err_host": "Refused: this page opens only at http://127.0.0.1:{port}/ or http://localhost:{port}/.",
        "err_origin": "Refused: the request came from another web site. Use the page at http://127.0.0.1:{port}/.",
        "err_not_found": "No such page.",
        "err_method": "This kind of request is not supported.",
        "err_network": "Cannot reach collcheck: check that collcheck serve is still running in the terminal.",
    },
}


def pick_lang(value: Any) -> str:
    return value if value in LANGS else "zh"


class Text:
    """``t.key`` or ``t("key", n=3)`` in templates and code."""

    def __init__(self, lang: str):
        self.lang = pick_lang(lang)
        self._s = UI[self.lang]

    def __getattr__(self, key: str) -> str:
        try:
            return self._s[key]
        except KeyError:
            raise AttributeError(key) from None

    def __call__(self, key: str, **kw: Any) -> str:
        return self._s[key].format(**kw)
