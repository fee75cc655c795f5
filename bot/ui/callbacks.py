"""Typed callback data of every inline button (prefixes are short: 64-byte limit)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Every integer is bounded, so a forged value (say 2**63, past SQLite's INTEGER) fails parsing
# in the filter: the press falls through to the «кнопка устарела» answer instead of reaching
# a query. Ids are positive database keys; "Ref" also allows 0 for "none".
Id = Annotated[int, Field(gt=0, lt=2**63)]
Ref = Annotated[int, Field(ge=0, lt=2**63)]
# An index into a list shown on the screen, a page, or a small value; -1/-2 mean "none"/"other".
Index = Annotated[int, Field(ge=-2, lt=10_000)]


class Screen(StrEnum):
    MAIN = "main"
    HELP = "help"
    PROFILE = "profile"
    DISTRICTS = "districts"
    NEW_DISTRICT = "new_district"
    MY_PAIRS = "my_pairs"
    MY_SURVEYS = "my_surveys"  # the surveys addressed to the person

    CANCEL = "cancel"


class MenuCb(CallbackData, prefix="m"):
    screen: Screen


class DistrictAction(StrEnum):
    OPEN = "open"
    NEW_SCHOOL = "new_school"
    INVITE_COORDINATOR = "invite_coord"


class DistrictCb(CallbackData, prefix="d"):
    action: DistrictAction
    district_id: Id


class SchoolAction(StrEnum):
    OPEN = "open"
    INVITE_CURATOR = "invite_curator"
    TEACHER_LINK = "teacher_link"


class SchoolCb(CallbackData, prefix="s"):
    action: SchoolAction
    school_id: Id


class YearAction(StrEnum):
    ASK = "ask"  # the curator is shown what closing the year does
    CLOSE = "close"
    ARCHIVE = "archive"


class SchoolYearCb(CallbackData, prefix="y"):
    action: YearAction
    school_id: Id


class TimezoneCb(CallbackData, prefix="tz"):
    index: Index


class JoinRoleCb(CallbackData, prefix="j"):
    role: str


class FormAction(StrEnum):
    PICK = "p"  # single choice, yes/no, scale: v is the option index or the value
    TOGGLE = "t"  # multiple choice: v is the option index
    DONE = "d"  # multiple choice finished
    BACK = "b"
    SKIP = "s"
    PAUSE = "z"
    EDIT = "e"  # from the summary: q is the question to change
    SUBMIT = "ok"
    REOPEN = "r"  # a submitted questionnaire opened for changes


class FormCb(CallbackData, prefix="f"):
    session: Id
    q: str
    action: FormAction
    v: Index = -1


class ParticipationCb(CallbackData, prefix="p"):
    """A mentor's or mentee's own questionnaire in one school."""

    role: str
    school_id: Id


class PrivacyAction(StrEnum):
    EXPORT = "export"
    REVOKE = "revoke"
    CONFIRM_REVOKE = "confirm"


class PrivacyCb(CallbackData, prefix="pd"):
    action: PrivacyAction


class BankView(StrEnum):
    LIST = "l"
    PICK_SUBJECT = "ps"
    PICK_AREA = "pa"
    XLSX = "x"
    CSV = "c"
    REMIND = "r"


class BankCb(CallbackData, prefix="b"):
    school_id: Id
    role: str
    view: BankView
    page: Index = 0
    subject: Index = -1
    area: Index = -1


class CardCb(CallbackData, prefix="c"):
    school_id: Id
    role: str
    person_id: Id


class ParentLinkCb(CallbackData, prefix="pl"):
    """The curator issues a fresh parent-consent link for a student of the bank."""

    school_id: Id
    person_id: Id


class PairInviteCb(CallbackData, prefix="pi"):
    pair_id: Id
    accept: bool


class PairsView(StrEnum):
    LIST = "l"
    PROPOSE = "p"
    DRAFTS = "d"
    PREFERENCES = "pr"
    ORDER = "o"
    ORDER_BLANK = "ob"  # the order without a number and date, to fill by hand


class PairsCb(CallbackData, prefix="pr"):
    school_id: Id
    view: PairsView
    page: Index = 0  # of the proposal draft


class AcceptAllCb(CallbackData, prefix="aa"):
    """«Принять все»: the number of drafts the button stated and the highest draft id of the
    list it was shown with, so it accepts those drafts or nothing."""

    school_id: Id
    count: Index
    upto: Ref


class DraftAction(StrEnum):
    ACCEPT = "a"
    DISCARD = "x"
    ALTERNATIVES = "alt"
    CHOOSE = "c"  # v: the mentor chosen instead


class DraftCb(CallbackData, prefix="dr"):
    draft_id: Id
    action: DraftAction
    mentor_id: Ref = 0
    page: Index = 0  # of the draft list to come back to


class PairCardAction(StrEnum):
    OPEN = "o"
    PROGRAM_EDIT = "pe"
    PROGRAM_CONFIRM = "pc"
    PROGRAM_DOCX = "pd"
    REQUEST = "rq"  # a mentee asks to replace the mentor, a mentor to be released
    MEETING_NEW = "mn"
    JOURNAL = "j"
    JOURNAL_DOCX = "jd"
    COMPLETE = "cm"  # «программа выполнена»
    END = "en"  # the reasons to end early
    REVISE = "rv"  # propose a new end date and/or plan
    EXPLAIN = "wn"  # an overdue program: say why it is not completed


class PairCardCb(CallbackData, prefix="pc"):
    pair_id: Id
    action: PairCardAction


class ProgramEndCb(CallbackData, prefix="pq"):
    """End a pair's program early with this reason (a ProgramEndReason value)."""

    pair_id: Id
    reason: str


class ProgramChangeCb(CallbackData, prefix="pw"):
    """The other side's answer to a proposed change of the program."""

    change_id: Id
    accept: bool


class RequestDecisionCb(CallbackData, prefix="rd"):
    request_id: Id
    approve: bool


class PairEditField(StrEnum):
    FORM = "f"
    KIND = "k"
    ADD_MENTEE = "a"
    WITHDRAW = "w"


class PairEditCb(CallbackData, prefix="pe"):
    """The curator changes a pair: v is the chosen form/kind index or mentee id (-1: ask)."""

    pair_id: Id
    field: PairEditField
    v: Annotated[int, Field(ge=-1, lt=2**63)] = -1


class PreferenceCb(CallbackData, prefix="pf"):
    school_id: Id
    chosen: Id


class MeetingAction(StrEnum):
    CONFIRM = "c"
    MOVE = "m"
    CANCEL = "x"
    FEEDBACK = "f"


class MeetingCb(CallbackData, prefix="mt"):
    meeting_id: Id
    revision: Ref
    action: MeetingAction


class TopicCb(CallbackData, prefix="tp"):
    """A topic offered for a new meeting: index into the offered list, -1 for none."""

    index: Index


class TimePickCb(CallbackData, prefix="tm"):
    """A suggested meeting time, as a person would type it ("24.11 15:00")."""

    when: str


class SurveysAction(StrEnum):
    LIST = "l"
    NEW = "n"  # the templates to start from
    TEMPLATE = "t"  # v: the template's index
    BLANK = "b"  # a survey of the curator's own
    OFFSETS = "o"  # the school's reminder and monitoring offsets
    OFFSET = "os"  # v: the field's index in bot.surveys.rules.OffsetField


class SurveysCb(CallbackData, prefix="sl"):
    school_id: Id
    action: SurveysAction
    v: Ref = 0


class SurveyAction(StrEnum):
    CARD = "c"
    PREVIEW = "pv"
    AUDIENCE = "a"
    SET_AUDIENCE = "sa"  # v: the audience's index
    OTHER = "o"  # the non-respondents of survey v
    ANONYMOUS = "an"
    DEADLINE = "dl"
    LAUNCH_ASK = "la"
    LAUNCH = "l"
    REMIND = "r"
    EXTEND = "e"
    CLOSE_ASK = "ca"
    CLOSE = "x"
    RESULTS = "rs"
    XLSX = "xl"
    # A draft's questions; v: the question's position (Q_KIND: the kind's index)
    QUESTIONS = "qs"
    QUESTION = "q"
    Q_ADD = "qa"
    Q_KIND = "qk"
    Q_TEXT = "qt"
    Q_OPTIONS = "qo"
    Q_REQUIRED = "qr"
    Q_UP = "qu"
    Q_DOWN = "qd"
    Q_DELETE = "qx"
    PAIRS = "ps"  # the pairs to choose the audience from
    PAIR = "p"  # v: a pair chosen or unchosen


class SurveyCb(CallbackData, prefix="sv"):
    """The curator's survey."""

    survey_id: Id
    action: SurveyAction
    v: Ref = 0


class SurveyTakeCb(CallbackData, prefix="st"):
    """A participant opens the survey (or, answered, changes the answers)."""

    survey_id: Id
    change: bool = False


class DistrictSurveysAction(StrEnum):
    LIST = "l"
    NEW = "n"  # the templates to start from
    TEMPLATE = "t"  # v: the template's index


class DistrictSurveysCb(CallbackData, prefix="dl"):
    """A coordinator's surveys of the district."""

    district_id: Id
    action: DistrictSurveysAction
    v: Ref = 0


class DistrictSurveyAction(StrEnum):
    CARD = "c"
    AUDIENCE = "a"  # v: the audience's index in bot.surveys.district.DISTRICT_AUDIENCES
    DEADLINE = "dl"
    LAUNCH_ASK = "la"
    LAUNCH = "l"


class DistrictSurveyCb(CallbackData, prefix="dv"):
    """A coordinator's survey of the district."""

    survey_id: Id
    action: DistrictSurveyAction
    v: Ref = 0


# Monitoring reports (issue 14).
class ReportAction(StrEnum):
    MENU = "m"
    SCHOOL = "s"  # v: the closed year's id, 0 for the open year
    ACTS = "a"
    ACT = "ak"  # v: the kind's index in bot.reports REGISTER_KINDS
    CONTACTS = "c"
    EVENTS = "e"
    EVENT = "en"
    SITE = "w"  # the results for the school website (the open year)


class ReportCb(CallbackData, prefix="rp"):
    school_id: Id
    action: ReportAction
    v: Ref = 0


class DistrictReportCb(CallbackData, prefix="dp"):
    """The district's report: `make` false shows the years, true makes year number `v`."""

    district_id: Id
    make: bool = False
    v: Ref = 0


class MonitoringAction(StrEnum):
    OPEN = "o"  # the coordinator: the current request's status, or ask for a deadline
    NEW = "n"  # the coordinator: a new request (asks for the deadline)
    REMIND = "r"  # the coordinator: remind the schools that have not submitted
    SUBMIT = "s"  # the curator: «данные представлены»


class MonitoringCb(CallbackData, prefix="cm"):
    """The control monitoring: `scope_id` is the district (coordinator's actions) or the
    school (SUBMIT); `request_id` the request the button was made for."""

    action: MonitoringAction
    scope_id: Id
    request_id: Ref = 0


# The roadmap (issue 16).


class RoadmapOpenCb(CallbackData, prefix="ro"):
    """The curator opens the school's roadmap of the current year (made on first opening)."""

    school_id: Ref


class RoadmapAction(StrEnum):
    LIST = "l"
    ADD = "a"  # the stages to add an item to
    STAGE = "s"  # v: the stage's index
    DOCX = "d"
    XLSX = "x"
    PUBLISH = "p"  # a district template goes to every school of the district


class RoadmapCb(CallbackData, prefix="rm"):
    roadmap_id: Ref
    action: RoadmapAction
    v: Ref = 0


class ItemAction(StrEnum):
    CARD = "c"
    DEADLINE = "dl"
    FIELD = "f"  # v: the field's index
    PEOPLE = "pp"
    TOGGLE = "t"  # v: the person id
    UP = "u"
    DOWN = "dn"
    REMOVE_ASK = "ra"
    REMOVE = "r"
    REOPEN = "ro"


class RoadmapItemCb(CallbackData, prefix="ri"):
    item_id: Ref
    action: ItemAction
    v: Ref = 0


class RoadmapDoneCb(CallbackData, prefix="rx"):
    """The responsible person (or the curator) marks the item done."""

    item_id: Ref


class DistrictRoadmapAction(StrEnum):
    OVERVIEW = "o"
    TEMPLATE = "t"


class DistrictRoadmapCb(CallbackData, prefix="rz"):
    district_id: Ref
    action: DistrictRoadmapAction


# The library (issue 16).


class LibraryAction(StrEnum):
    HOME = "h"
    TOPIC = "t"  # v: the competence area's index
    FOR_ME = "me"
    SEARCH = "s"


class LibraryCb(CallbackData, prefix="lb"):
    action: LibraryAction
    v: Ref = 0


class MaterialCb(CallbackData, prefix="lo"):
    material_id: Ref


class LibraryManageAction(StrEnum):
    ADD = "a"
    TOPIC = "t"  # v: the competence area's index
    AUDIENCE = "au"  # v: the audience's index


class LibraryManageCb(CallbackData, prefix="lm"):
    """Uploading to a school's library (school_id), or the district's (school_id 0)."""

    district_id: Ref
    school_id: Ref
    action: LibraryManageAction
    v: Ref = 0


class BroadcastAction(StrEnum):
    HOME = "h"  # the school's (the district's) broadcasts: a new one and the history
    NEW = "n"
    AUDIENCE = "a"  # v: the index of the audience
    SEND = "s"  # v: 1 at the chosen time, 0 at once
    CARD = "c"  # v: the broadcast id
    SURVEY = "q"  # v: the survey whose non-respondents are the audience
    BUTTONS = "b"  # add link buttons to the draft
    LATER = "l"  # choose the time to send at
    CANCEL = "x"  # v: the broadcast id; withdraw what is not sent yet
    AGAIN = "g"  # v: the broadcast id; send again to those who did not receive it


class BroadcastCb(CallbackData, prefix="bc"):
    action: BroadcastAction
    school_id: Id
    v: Ref = 0


class DistrictBroadcastCb(CallbackData, prefix="bd"):
    """A coordinator's broadcasts to the district; the actions and `v` as in BroadcastCb."""

    action: BroadcastAction
    district_id: Id
    v: Ref = 0


class PracticeAction(StrEnum):
    AGREE = "a"  # a side of a completed pair agrees to publish its case (v 1: with names)
    EDIT = "e"  # the curator writes the description
    PUBLISH = "p"
    LIST = "l"  # the library's «Лучшие практики»
    OPEN = "o"  # v: the case's id


class PracticeCb(CallbackData, prefix="bp"):
    action: PracticeAction
    pair_id: Ref = 0
    v: Ref = 0


class NoteAction(StrEnum):
    LIST = "l"  # the notes on the mentee, for the curator
    PICK = "p"  # the curator picks a colleague to ask for a note on the mentee
    INVITE = "i"  # v: the colleague's person id
    WRITE = "w"  # the invited colleague starts writing note v
    SHARE = "s"  # note v: whether the mentor of a pair may read it (share)


class NoteCb(CallbackData, prefix="mn"):
    action: NoteAction
    school_id: Ref = 0
    mentee_id: Ref = 0
    v: Ref = 0
    share: bool = False


class MaterialDeleteCb(CallbackData, prefix="ld"):
    """Delete a material: asked first (confirm false), then done."""

    material_id: Id
    confirm: bool = False


class PlanAction(StrEnum):
    ITEMS = "l"  # the plan's items with their materials
    ITEM = "i"  # one item: its materials and «attach»
    PICK = "p"  # the library's materials to attach to the item
    ATTACH = "a"  # v: the material's id


class PlanCb(CallbackData, prefix="pm"):
    pair_id: Id
    action: PlanAction
    item: Ref = 0
    v: Ref = 0


# Awards (issue 14).
class AwardAction(StrEnum):
    HOME = "h"  # the shortlists and the votes
    VOTE = "v"  # n: the nomination; the curator is asked the deadline
    PUBLISH = "p"  # the winners' message
    BROADCAST = "b"  # the winners' message handed to the broadcast composer
    LETTERS = "l"  # a thank-you letter per winner


class AwardCb(CallbackData, prefix="aw"):
    """`year`: a closed year's id, 0 for the open year; `n`: the nomination's index."""

    school_id: Id
    action: AwardAction
    year: Ref = 0
    n: Ref = 0


# Events the bot organises (issue 15).


class EventsAction(StrEnum):
    HOME = "h"  # the organiser's events: a new one and the list
    NEW = "n"
    KIND = "k"  # v: the kind's index
    AUDIENCE = "a"  # v: the audience's index
    CREATE = "c"


class EventsCb(CallbackData, prefix="ev"):
    """The organiser's screens of a school (school_id) or of a district (school_id 0)."""

    action: EventsAction
    school_id: Ref
    district_id: Ref
    v: Ref = 0


class EventAction(StrEnum):
    CARD = "c"  # the answers and the counts, refreshed
    MOVE = "m"
    CANCEL_ASK = "xa"
    CANCEL = "x"
    MATERIALS = "ma"  # send files to the bot
    SEND_MATERIALS = "sm"


class EventCb(CallbackData, prefix="ec"):
    event_id: Id
    action: EventAction
    v: Ref = 0
    on: bool = False


class AttendanceAction(StrEnum):
    PAGE = "p"
    MARK = "m"  # person: whom; on: present or not
    ALL_GOING = "g"  # everyone who said «Иду» marked present


class AttendanceCb(CallbackData, prefix="ea"):
    """The attendance checklist, a page at a time (Telegram allows 100 buttons a message); a
    mark keeps the page it was made on."""

    event_id: Id
    action: AttendanceAction
    page: Index = 0
    person: Ref = 0
    on: bool = False


class EventReplyAction(StrEnum):
    LIST = "l"  # the upcoming events one is invited to
    OPEN = "o"
    GOING = "g"
    NOT_GOING = "n"
    MATERIALS = "m"


class EventReplyCb(CallbackData, prefix="er"):
    """An invited person's buttons (event_id 0 for the list)."""

    action: EventReplyAction
    event_id: Ref = 0
