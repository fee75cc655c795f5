"""The services a handler may call, built once by the composition root (`app/assembly.py`) and
handed to every handler as one typed dependency: `services: Services`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.awards.service import AwardService
from bot.broadcasts.service import BroadcastService
from bot.completion.service import CompletionService
from bot.core.clock import Clock, Health
from bot.core.config import Settings
from bot.events.service import EventService
from bot.forms.engine import FormEngine
from bot.forms.flow import FormFlow
from bot.library.service import LibraryService
from bot.meetings.service import MeetingService
from bot.operations.status import StatusService
from bot.organizations.invites import InviteService
from bot.organizations.service import OrganizationService
from bot.pairs.service import PairService
from bot.participation.banks import BankService
from bot.participation.service import ParticipationService
from bot.practices.notes import NoteService
from bot.practices.service import PracticeService
from bot.privacy.erasure import ErasureService
from bot.privacy.service import PrivacyService
from bot.programs.service import ProgramService
from bot.reports.monitoring import MonitoringService
from bot.reports.service import ReportService
from bot.roadmap.service import RoadmapService
from bot.school_years.service import SchoolYearService
from bot.surveys.district import DistrictSurveyService
from bot.surveys.service import SurveyService


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    clock: Clock
    health: Health
    organizations: OrganizationService
    forms: FormEngine
    form_flow: FormFlow
    participation: ParticipationService
    banks: BankService
    invites: InviteService
    school_years: SchoolYearService
    pairs: PairService
    programs: ProgramService
    meetings: MeetingService
    privacy: PrivacyService
    erasure: ErasureService
    surveys: SurveyService
    district_surveys: DistrictSurveyService
    completion: CompletionService
    reports: ReportService
    monitoring: MonitoringService
    roadmap: RoadmapService
    library: LibraryService
    practices: PracticeService
    notes: NoteService
    status: StatusService
    broadcasts: BroadcastService
    awards: AwardService
    events: EventService
