"""The input formats collcheck reads (``--input-format`` choices), with no heavy imports
so the command line can list them. Workbooks (XLSX, old .xls) and PDFs are recognised by
their bytes; the format then says what their table or text holds."""

FORMATS: dict[str, str] = {
    "jsonl": "JSONL batch, one record per line (the batch contract)",
    "json": "JSON array of records: the batch contract's, or an export app's rows (number / date / duration / "
            "type …, read like a table with those columns)",
    "transcript": "pasted transcript or message text with speaker labels, one turn per line; "
                  "讯飞听见 / 通义听悟 '说话人1 00:00:01' blocks, one turn per block; also the text of a PDF",
    "text": "plain message text, one message per line (SMS / WeChat text without a format; a typed chat whose "
            "lines carry a date)",
    "calllog": "call-log table: CSV / TSV / XLSX / old .xls, phone exports, carrier itemised bills (also as a PDF "
               "with a text layer), Android CSV; also a phone's call database (Android calllog.db, iPhone "
               "CallHistory.storedata)",
    "calllog-xml": "Android call-log backup XML (<calls><call …/>)",
    "messages": "SMS / message table: CSV / TSV / XLSX / old .xls; also a phone's message database (Android "
                "mmssms.db, iPhone sms.db)",
    "sms-xml": "SMS Backup & Restore XML (<smses><sms …/>)",
    "sms-text": "SMS backup as text, one message per block: 发件人：/ 收件人：/ 时间：/ 内容： fields (OPPO / vivo), "
                "iMazing TXT (a time line, then From: / To: and the message)",
    "wechat-csv": "WeChat chat export table (CSV / XLSX / old .xls); also WeChat's decrypted EnMicroMsg.db / MSG.db",
    "transcript-table": "sentences of recorded calls as a table, one per row, with who said each (a QA platform's "
                        "or ASR service's export: 录音ID / 坐席工号 / 角色 / 开始时间 / 文本; CSV / XLSX / old .xls); "
                        "also a QA call list with one whole call per row (通话ID / 坐席工号 / 通话文本 with 坐席：… "
                        "客户：… inside)",
    "wechat-text": "WeChat chat copied as text ('昵称 2024-03-05 21:13:02' blocks), MemoTrace TXT, "
                   "QQ's text export (消息记录, 消息对象:…, '2024-03-05 9:12:33 昵称' blocks), LINE's saved chat "
                   "([LINE] …, 'HH:MM<TAB>name<TAB>text' lines under date lines), also printed to PDF",
    "wechat-html": "WeChat chat saved as an HTML page (MemoTrace / 留痕 '导出 HTML': the chatMessages data or the "
                   "rendered bubbles; the right side is the person's own)",
    "telegram-json": "Telegram Desktop chat export (result.json); in a personal chat the other party is the chat's "
                     "name, other senders are the person's own",
    "call-list": "calls written as text: a call-recordings folder listed (ls / dir / file names with a number and "
                 "a time), a security app's blocked-call list copied from the screen (360 / 腾讯手机管家 / 骚扰拦截), "
                 "a call list read from screenshots (昨天 21:43 呼入 1分钟)",
    "srt": "SRT subtitles from ASR",
    "vtt": "WebVTT subtitles from ASR",
    "whisper-json": "Whisper / WhisperX JSON (segments)",
    "funasr-json": "FunASR JSON (sentence_info with spk)",
    "asr-json": "another ASR service's JSON result with a sentence list (阿里云 Result.Sentences, 腾讯云 ResultDetail, "
                "a QA platform's sentences with speaker / text)",
}
INPUT_FORMATS: tuple[str, ...] = tuple(FORMATS)
TABLE_FORMATS = frozenset({"calllog", "messages", "wechat-csv", "transcript-table"})
STREAMING_FORMATS = TABLE_FORMATS | {"jsonl"}
