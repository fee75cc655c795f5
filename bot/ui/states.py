"""Every FSM state of the bot, in one place. State data is JSON in the database."""

from aiogram.fsm.state import State, StatesGroup


class JoinStates(StatesGroup):
    # data: invite_id
    choosing_role = State()


class DistrictStates(StatesGroup):
    entering_name = State()


class SchoolStates(StatesGroup):
    # data: district_id
    entering_name = State()
    # data: district_id, name
    choosing_timezone = State()


class FormStates(StatesGroup):
    # data: session_id; draft (the ticked options of a multiple-choice question, until "done")
    answering = State()


class PairStates(StatesGroup):
    # data: pair_id
    declining = State()
    # data: pair_id
    requesting = State()
    # data: request_id, approve
    deciding_request = State()
    # data: school_id
    order_reference = State()
    # data: pair_id, reason (a ProgramEndReason)
    ending_reason = State()
    # data: pair_id
    change_end_date = State()
    # data: pair_id, ends_on
    change_plan = State()
    # data: pair_id
    explaining = State()


class MeetingStates(StatesGroup):
    # data: pair_id, and meeting_id/revision when moving an existing meeting
    entering_time = State()
    # data: pair_id, starts_at
    entering_place = State()
    # data: pair_id, starts_at, place, topics (offered from the program)
    entering_topic = State()


class SurveyStates(StatesGroup):
    # data: survey_id, extend (a running survey's new deadline, not a draft's first one)
    entering_deadline = State()
    # data: school_id
    entering_title = State()
    # data: survey_id, and kind (a new question) or index (a question reworded)
    entering_question = State()
    # data: survey_id, and kind and text (a new choice question) or index (its options)
    entering_options = State()
    # data: district_survey_id (a coordinator's draft)
    entering_district_deadline = State()
    # data: school_id, field (a bot.surveys.rules.OffsetField)
    entering_offsets = State()


class ReportStates(StatesGroup):
    # data: school_id, kind (OrderKind value)
    entering_act = State()
    # data: school_id
    entering_contacts = State()
    # data: school_id
    entering_event = State()
    # data: district_id (the control monitoring's deadline)
    entering_monitoring_deadline = State()


class RoadmapStates(StatesGroup):
    # data: roadmap_id, stage
    adding_activity = State()
    # data: roadmap_id, stage, activity
    adding_deadline = State()
    # data: item_id
    entering_deadline = State()
    # data: item_id, field
    entering_field = State()
    # data: item_id
    entering_done_note = State()


class LibraryStates(StatesGroup):
    # data: district_id, school_id
    sending_material = State()
    # data: district_id, school_id, upload
    entering_title = State()
    # data: ..., title (topic and audience come as buttons)
    choosing = State()
    searching = State()
    # data: pair_id (the curator describes a best practice: goal, then done, then result)
    practice_goal = State()
    practice_done = State()
    practice_result = State()
    # data: note_id (an invited colleague writes a note on a mentee)
    writing_note = State()


class BroadcastStates(StatesGroup):
    # data: school_id or district_id (the other 0), draft (a key made when composing began)
    composing = State()
    # data: school_id, draft, text, media, file_id, buttons; audience, ref, due once chosen
    confirming = State()
    buttons = State()  # typing link buttons; data as in confirming
    scheduling = State()  # typing the time to send at; data as in confirming


class AwardStates(StatesGroup):
    # data: school_id, year (0: the open year), nomination
    entering_deadline = State()


class EventStates(StatesGroup):
    # data: school_id, district_id, draft
    choosing_kind = State()
    # data: ... kind
    entering_title = State()
    # data: ... title, and day (a day named without a time)
    entering_time = State()
    # data: ... starts_at
    entering_place = State()
    # data: ... place, audience: choosing the audience and confirming
    confirming = State()
    # data: event_id, and day
    moving = State()
    # data: event_id
    sending_materials = State()
