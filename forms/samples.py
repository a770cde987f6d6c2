"""Filled-in example forms, for looking at the layout and for the tests.

Why they exist: a layout change must be checked on realistic forms (a one-page notification, a
case file running over several pages, a drill report with its watermark and a deputy's
signature, a log that is mostly table), not on "lorem ipsum". The incidents are invented, in the
manner of the cases in the reference documents; the names are fictitious. Labels go through
gettext like those of the real forms; the recorded facts are data and stay as an officer of
Keelung Customs would have typed them.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from forms.document import (
    Checkboxes,
    FieldGrid,
    FormDocument,
    Signatures,
    SignatureBox,
    Table,
    TextSection,
)
from forms.verify import verification
from i18n import _
from i18n.formatting import DEFAULT_TIMEZONE, format_date, format_datetime

__all__ = ["sample_documents"]

_CASE = "基隆關-115-0007"
_HANDLING_UNIT = "業務二組"


def sample_documents() -> dict[str, FormDocument]:
    """One example of each kind of form, by a short name usable as a file name."""
    return {
        "notification": _notification(),
        "case_file": _case_file(),
        "drill_report": _drill_report(),
        "activity_log": _activity_log(),
    }


def _office() -> str:
    return _("Keelung Customs, Customs Administration, Ministry of Finance")


def _at(month: int, day: int, hour: int, minute: int, long: bool = True) -> str:
    """A moment of the sample incident, given in the office's time, as the reader's language
    writes it; the short form for table cells."""
    local = datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo(DEFAULT_TIMEZONE))
    return format_datetime(local, long)


def _categories(ticked: int) -> tuple[tuple[str, bool], ...]:
    """The four incident categories of the procedure (point 4), one of them ticked."""
    names = (_("Customs clearance case"), _("Public opinion case"),
             _("Case of concern to elected representatives"), _("Emergency case"))
    return tuple((name, i == ticked) for i, name in enumerate(names))


def _severities(ticked: int) -> tuple[tuple[str, bool], ...]:
    """The three severity levels of the procedure (point 5), one of them ticked."""
    names = (_("High-level crisis"), _("Medium-level crisis"), _("Low-level crisis"))
    return tuple((name, i == ticked) for i, name in enumerate(names))


_SUMMARY = (
    "本日上午，本關業務二組於基隆港西岸第15號碼頭貨櫃場執行查驗時，發現自越南進口之一批冷凍食品"
    "貨櫃，內含未申報之肉製品約320公斤，疑似來自非洲豬瘟疫區。現場已依規定暫扣貨物，並通知動植物"
    "防疫檢疫署基隆分署派員採樣檢測。\n"
    "午間已有兩家電子媒體記者到場拍攝，網路社群出現「海關放行疫區豬肉」之不實訊息，恐影響本關聲譽。"
)
_ACTIONS = (
    "一、貨櫃已加封並移置管制區，暫停該報關業者同類貨物之快速通關。\n"
    "二、調閱近三個月同一進口人之報單及X光儀檢影像，進行回溯清查。\n"
    "三、請秘書室公關機要股準備澄清稿，俟檢測結果確認後發布。"
)


def _notification() -> FormDocument:
    content = {"case": _CASE, "summary": _SUMMARY, "actions": _ACTIONS, "severity": "medium"}
    return FormDocument(
        office_name=_office(),
        title=_("Crisis incident notification form"),
        blocks=(
            FieldGrid(columns=2, rows=(
                (_("Case number"), _CASE),
                (_("Reported at"), _at(11, 24, 14, 5)),
                (_("Reporting unit"), _HANDLING_UNIT),
                (_("Reported by"), "陳志明"),
                (_("Place"), "基隆港西岸第15號碼頭貨櫃場"),
                (_("Phone"), "(02)2420-2951 分機 2301"),
            )),
            Checkboxes(_("Category"), _categories(3)),
            Checkboxes(_("Severity"), _severities(1)),
            TextSection(_("Summary of the incident"), _SUMMARY),
            TextSection(_("Action taken"), _ACTIONS),
            Table(_("Notifications"),
                  (_("Person notified"), _("Means"), _("Time"), _("Outcome")),
                  (("執行秘書 周主任秘書", "電話", _at(11, 24, 14, 10, long=False), "已知悉，指示密切注意輿情"),
                   ("秘書室公關機要股", "電話、電子郵件", _at(11, 24, 14, 15, long=False), "準備澄清稿"),
                   ("防檢署基隆分署", "公文傳真", _at(11, 24, 14, 30, long=False), "下午派員採樣")),
                  widths=(3, 2, 3, 4)),
            Signatures((
                SignatureBox(_("Reporting officer"), "陳志明", format_date(date(2026, 11, 24))),
                SignatureBox(_("Unit head"), "吳美玲"),
                SignatureBox(_("Executive secretary")),
            )),
        ),
        verification=verification("notification", "5f0c2a8e-1b7d-4c1e-9a43-7d2e8b6f0a11", 2,
                                  content),
        footer_note=_("Medium severity: notify the executive secretary at once (procedure, "
                      "point 5)."),
    )


# Paragraphs of the case file's narrative, long enough to carry it over several pages.
_COURSE = (
    "民國115年11月24日上午9時40分，業務二組查驗關員於基隆港西岸第15號碼頭貨櫃場，對一只自越南"
    "胡志明市進口、申報為冷凍蔬菜之四十呎冷凍貨櫃執行儀器查驗。X光影像顯示貨櫃後段之紙箱密度"
    "與申報貨物不符，經開櫃查驗，發現夾藏未申報之肉製品三十二箱，總重約320公斤。",
    "查驗關員立即停止查驗作業，將貨櫃加封並移置管制區，依危機管理作業流程向單位主管報告。單位"
    "主管研判本案屬突發案件中之防疫問題，且已有媒體到場，負面效應將影響本關整體業務與形象，判定"
    "為中度危機，於14時5分通報本小組執行秘書。",
    "執行秘書於14時10分知悉後，指示處理組持續掌握現場狀況，並請連絡暨公關組蒐集輿情。15時許，"
    "網路社群出現「海關放行疫區豬肉」之不實訊息，轉貼數量快速增加，執行秘書隨即報告總指揮，"
    "總指揮決定於16時召開危機管理小組會議。",
    "會議中，處理組說明查獲經過及貨物處置情形；法務組說明報關業者可能涉及之法律責任及裁處依據；"
    "連絡暨公關組報告輿情發展，並提出澄清稿初稿。總指揮裁示：一、貨物全數暫扣，俟防檢署檢測結果"
    "依法處理；二、回溯清查同一進口人近三個月之進口報單；三、當日19時前發布新聞稿說明查獲經過，"
    "澄清並無放行情事。",
    "11月25日下午，防檢署基隆分署檢測結果確認其中兩箱肉製品含非洲豬瘟病毒核酸。本關依關稅法及"
    "海關緝私條例相關規定移送法辦，並函請主管機關加強源頭管理。回溯清查發現同一進口人另有兩份"
    "報單之申報內容可疑，已列為加強查驗對象。",
    "11月26日起，主要媒體報導均引用本關新聞稿內容，網路不實訊息之轉貼數量明顯下降。11月28日，"
    "總指揮召開第二次會議，確認危機已獲控制，指示處理組於兩週內完成案例檔案，並由策劃組納入下次"
    "模擬演練之參考案例。",
)
_MEDIA = (
    "一、由發言人統一對外說明，其他人員不得個別接受採訪。\n"
    "二、新聞稿內容包括查獲時間、地點、數量及後續處置，不揣測檢測結果，不評論個別業者。\n"
    "三、連絡暨公關組每兩小時彙整一次網路輿情，重大變化隨時報告執行秘書。\n"
    "四、對於網路上「海關放行疫區豬肉」之不實訊息，於官方網站及社群帳號發布澄清，並提供查獲照片。"
)
_REVIEW = (
    "一、本案自查獲至發布新聞稿約九小時，符合及時說明之要求；惟通報執行秘書前，現場人員曾直接"
    "回應記者詢問，日後應先行統一窗口。\n"
    "二、X光影像判讀發揮關鍵作用，建議持續辦理影像判讀訓練，並將本案影像納入教材。\n"
    "三、冷凍貨櫃之查驗場地有限，建議與港務公司協調增設冷凍查驗區。\n"
    "四、本案經驗已由策劃組納入模擬演練案例庫，作為日後重大突發案件演練之參考。"
)
# (day, hour, minute, stage, action, responsible)
_TIMELINE = (
    (24, 9, 40, "危機掌握與辨識", "X光影像異常，開櫃查驗發現未申報肉製品", "業務二組"),
    (24, 10, 5, "危機掌握與辨識", "貨櫃加封並移置管制區", "業務二組"),
    (24, 10, 30, "危機掌握與辨識", "通知防檢署基隆分署派員採樣", "業務二組"),
    (24, 12, 15, "危機掌握與辨識", "媒體記者到場拍攝，現場人員婉拒受訪", "業務二組"),
    (24, 14, 5, "危機掌握與辨識", "單位主管判定中度危機，通報執行秘書", "處理組"),
    (24, 14, 10, "危機評估與決策", "執行秘書指示掌握現場並蒐集輿情", "執行秘書"),
    (24, 14, 15, "適時的媒體溝通運作", "公關機要股開始準備澄清稿", "連絡暨公關組"),
    (24, 15, 0, "危機評估與決策", "網路出現不實訊息，報告總指揮", "執行秘書"),
    (24, 15, 20, "危機評估與決策", "總指揮決定16時召開小組會議", "總指揮"),
    (24, 16, 0, "危機評估與決策", "召開危機管理小組第一次會議", "危機管理小組"),
    (24, 16, 40, "危機處理", "法務組說明法律責任及裁處依據", "法務組"),
    (24, 17, 0, "危機處理", "總指揮裁示三項處理方案", "總指揮"),
    (24, 18, 30, "適時的媒體溝通運作", "新聞稿陳核完成", "連絡暨公關組"),
    (24, 18, 50, "適時的媒體溝通運作", "發布新聞稿並於官方網站澄清", "發言人"),
    (24, 21, 0, "適時的媒體溝通運作", "彙整晚間輿情，轉貼數量趨緩", "連絡暨公關組"),
    (25, 9, 0, "危機處理", "開始回溯清查同一進口人報單", "業務二組"),
    (25, 11, 30, "有效的協調談判", "與報關業者說明暫扣及後續程序", "執行秘書"),
    (25, 15, 10, "危機處理", "防檢署檢測結果確認含病毒核酸", "業務二組"),
    (25, 16, 0, "危機處理", "移送法辦並函請主管機關加強管理", "法務組"),
    (25, 17, 30, "適時的媒體溝通運作", "發布檢測結果及處理情形", "發言人"),
    (26, 10, 0, "危機處理", "回溯清查發現兩份可疑報單", "業務二組"),
    (26, 14, 0, "適時的媒體溝通運作", "輿情報告：不實訊息轉貼明顯下降", "連絡暨公關組"),
    (27, 9, 30, "危機處理", "可疑報單之貨物列為加強查驗對象", "業務二組"),
    (28, 10, 0, "妥善的善後與檢討", "召開第二次會議，確認危機已獲控制", "危機管理小組"),
    (28, 11, 0, "妥善的善後與檢討", "指示兩週內完成案例檔案", "總指揮"),
    (28, 15, 0, "妥善的善後與檢討", "策劃組將本案納入演練案例庫", "策劃組"),
)


def _case_file() -> FormDocument:
    timeline = tuple((_at(11, d, h, m, long=False), stage, action, who)
                     for d, h, m, stage, action, who in _TIMELINE)
    content = {"case": _CASE, "course": list(_COURSE), "media": _MEDIA, "review": _REVIEW,
               "timeline": [list(row) for row in _TIMELINE]}
    return FormDocument(
        office_name=_office(),
        title=_("Crisis case file"),
        blocks=(
            FieldGrid(columns=2, rows=(
                (_("Case number"), _CASE),
                (_("Handling unit"), _HANDLING_UNIT),
                (_("Opened"), format_date(date(2026, 11, 24))),
                (_("Closed"), format_date(date(2026, 12, 10))),
                (_("Category"), _("Emergency case")),
                (_("Severity"), _("Medium-level crisis")),
            )),
            TextSection(_("Course of events"), "\n".join(_COURSE)),
            Table(_("Timeline"), (_("Time"), _("Stage"), _("Action"), _("Responsible")),
                  timeline, widths=(3, 3, 5, 2.5)),
            TextSection(_("Media communication"), _MEDIA),
            TextSection(_("Review and improvement"), _REVIEW),
            Table(_("Attachments"), (_("No."), _("Document")), (), widths=(1, 6)),
            Signatures((
                SignatureBox(_("Handling unit head"), "吳美玲", format_date(date(2026, 12, 8))),
                SignatureBox(_("Planning group"), "林雅婷", format_date(date(2026, 12, 9))),
                SignatureBox(_("Executive secretary"), "周文彬", format_date(date(2026, 12, 9))),
                SignatureBox(_("Commander"), "張志強", format_date(date(2026, 12, 10))),
            )),
        ),
        verification=verification("case_file", "9b3e77c4-2f5a-4d08-8c61-3a9d0e4b5c27", 5,
                                  content),
        footer_note=_("Kept for later reference and improvement (procedure, point 3)."),
    )


_DRILL_CASE = (
    "颱風過境後，本關電腦機房因淹水停止運作，通關系統中斷約四小時，報關業者聚集陳情，並有民意"
    "代表到場關切。"
)
_DRILL_SUMMARY = (
    "一、10時整由策劃組宣布演練開始，發布模擬狀況：通關系統中斷，預估恢復時間不明。\n"
    "二、10時8分處理組判定為高度危機，依規定迅速通報總指揮，並同時通知執行秘書。\n"
    "三、10時20分召開危機管理小組會議，決定啟動人工通關作業，並由連絡暨公關組對外說明。\n"
    "四、10時45分模擬民意代表到場關切，由執行秘書出面說明處理方案與預定恢復時間。\n"
    "五、11時30分模擬系統恢復，演練結束。策劃組觀察：通報時間符合規定，惟人工通關表單準備"
    "不足，建議各單位預先備妥。"
)


def _drill_report() -> FormDocument:
    content = {"unit": _HANDLING_UNIT, "case": _DRILL_CASE, "summary": _DRILL_SUMMARY}
    item_names = (_("Major customs clearance case"), _("Major public opinion case"),
                  _("Major case of concern to elected representatives"), _("Major emergency"))
    return FormDocument(
        office_name=_office(),
        title=_("Crisis management drill report"),
        blocks=(
            FieldGrid(rows=(
                (_("Unit tested"), _HANDLING_UNIT),
                (_("Drill time"), _at(11, 20, 10, 0)),
            )),
            Checkboxes(_("Drill item"), tuple((name, i == 3) for i, name in enumerate(item_names))),
            FieldGrid(rows=((_("Simulated case"), _DRILL_CASE),)),
            TextSection(_("Summary of the drill"), _DRILL_SUMMARY),
            Signatures((
                SignatureBox(_("Handling unit head"), "吳美玲", format_date(date(2026, 11, 20))),
                SignatureBox(_("Executive secretary"), "周文彬", format_date(date(2026, 11, 21))),
                # The commander is away; the deputy signs for him.
                SignatureBox(_("Commander"), "黃國華", format_date(date(2026, 11, 21)),
                             deputy_for="張志強"),
            )),
        ),
        verification=verification("drill_report", "c41d0e6a-7b2f-4e39-b5a8-0f6d1c2e9b84", 1,
                                   content),
        watermark=_("Drill"),
        footer_note=_("Filled in by the unit tested and submitted to the commander and the "
                      "executive secretary (procedure, point 7)."),
    )


_LOG = (
    (24, 14, 5, "陳志明", "通報執行秘書：西岸第15號碼頭查獲未申報肉製品，判定中度危機。"),
    (24, 14, 40, "陳志明", "防檢署基隆分署回覆將於下午派員採樣。"),
    (24, 15, 5, "林雅婷", "網路社群出現不實訊息，已截圖存證並報告執行秘書。"),
    (24, 16, 0, "林雅婷", "危機管理小組會議開始，出席十二人，會議紀錄另附。"),
    (24, 18, 50, "林雅婷", "新聞稿已發布於官方網站及社群帳號。"),
    (25, 9, 0, "陳志明", "開始回溯清查，調閱報單四十二份。"),
    (25, 15, 10, "陳志明", "檢測結果確認含病毒核酸，已報告總指揮。"),
    (25, 16, 0, "王俊傑", "移送法辦之公文已陳核發出。"),
    (26, 14, 0, "林雅婷", "輿情報告：不實訊息轉貼數量下降約八成。"),
    (28, 10, 0, "林雅婷", "第二次會議確認危機已獲控制，本紀錄結束。"),
)


def _activity_log() -> FormDocument:
    rows = tuple((_at(11, d, h, m, long=False), who, entry) for d, h, m, who, entry in _LOG)
    content = {"case": _CASE, "log": [list(row) for row in _LOG]}
    return FormDocument(
        office_name=_office(),
        title=_("Crisis team activity log"),
        blocks=(
            FieldGrid(columns=2, rows=(
                (_("Case number"), _CASE),
                (_("Period"),
                 f"{format_date(date(2026, 11, 24))}－{format_date(date(2026, 11, 28))}"),
            )),
            Table("", (_("Time"), _("Recorded by"), _("Entry")), rows, widths=(3, 1.6, 7)),
            Signatures((SignatureBox(_("Executive secretary"), "周文彬"),)),
        ),
        verification=verification("activity_log", "e8a2b6d0-4c1f-4a7e-9d35-6b0f2c8e1a93", 11,
                                   content),
    )
