"""A coordinator's survey of the whole district: one template, audience and deadline; every
school gets a campaign of its own, launched, answered, reminded and counted by the same
engine (SurveyService). The coordinator sees the response rate school by school."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.core.when import WhenError
from bot.core.zones import school_zone
from bot.forms.model import Form
from bot.surveys import rules
from bot.surveys.rules import Rate
from bot.surveys.service import STORING, SurveyRefusal, SurveyService
from storage.models import Organization, SurveyAudience, SurveyStatus
from storage.organizations import OrganizationsRepo
from storage.surveys import DistrictSurvey, SurveysRepo

log = logging.getLogger(__name__)

# Whom a coordinator's survey may go to in each school.
DISTRICT_AUDIENCES = (SurveyAudience.CURATORS, SurveyAudience.SCHOOL)


class DistrictRefusal(StrEnum):
    NO_SCHOOLS = "no_schools"  # the district has no school yet


@dataclass(frozen=True)
class SchoolRate:
    school: Organization
    rate: Rate


@dataclass(frozen=True)
class DistrictLaunch:
    schools: int
    recipients: int


class DistrictSurveyService:
    def __init__(
        self,
        surveys: SurveyService,
        repo: SurveysRepo,
        organizations: OrganizationsRepo,
        clock: Clock,
    ) -> None:
        self._surveys = surveys
        self._repo = repo
        self._organizations = organizations
        self._clock = clock

    def form(self, survey: DistrictSurvey) -> Form:
        return self._surveys.catalog.get(survey.form_id, survey.form_version)

    async def get(self, district_survey_id: int) -> DistrictSurvey | None:
        return await self._repo.district_survey(district_survey_id)

    async def of_district(self, district_id: int) -> list[DistrictSurvey]:
        return await self._repo.of_district(district_id)

    async def schools(self, district_id: int) -> list[Organization]:
        return await self._organizations.schools(district_id)

    async def zone(self, district_id: int) -> ZoneInfo:
        """The deadline is typed in the time of the district's first school (a district's
        schools share a region, so nearly always its time zone)."""
        schools = await self._organizations.schools(district_id)
        return school_zone(schools[0] if schools else None)

    async def create(self, district_id: int, template: Form, coordinator: int) -> DistrictSurvey:
        survey_id = await self._repo.create_district(
            district_id,
            template.id,
            template.version,
            bool(template.extra.get("anonymous", False)),
            coordinator,
            self._clock.now(),
        )
        log.info("district survey created survey_id=%s district_id=%s", survey_id, district_id)
        created = await self._repo.district_survey(survey_id)
        assert created is not None
        return created

    async def set_audience(
        self, survey: DistrictSurvey, audience: SurveyAudience
    ) -> DistrictSurvey | SurveyRefusal:
        if audience not in DISTRICT_AUDIENCES:
            return SurveyRefusal.NOT_FOUND
        if not await self._repo.change_district_draft(survey.id, "audience", audience.value):
            return SurveyRefusal.NOT_DRAFT
        return await self._reload(survey)

    async def set_deadline(
        self, survey: DistrictSurvey, raw: str
    ) -> DistrictSurvey | SurveyRefusal | WhenError:
        now, zone = self._clock.now(), await self.zone(survey.district_id)
        deadline = rules.parse_deadline(raw, now, zone)
        if isinstance(deadline, WhenError):
            return deadline
        if deadline > rules.school_year_end(now, zone):
            return SurveyRefusal.AFTER_SCHOOL_YEAR
        if not await self._repo.change_district_draft(survey.id, "deadline", deadline):
            return SurveyRefusal.NOT_DRAFT
        return await self._reload(survey)

    async def _reload(self, survey: DistrictSurvey) -> DistrictSurvey | SurveyRefusal:
        fresh = await self._repo.district_survey(survey.id)
        return fresh if fresh is not None else SurveyRefusal.NOT_FOUND

    async def recipients(self, survey: DistrictSurvey) -> int:
        """How many people of all the district's schools it would go to now."""
        total = 0
        for school in await self._organizations.schools(survey.district_id):
            total += len(await self._repo.audience(school.id, survey.audience, None))
        return total

    async def refusal(self, survey: DistrictSurvey) -> SurveyRefusal | DistrictRefusal | None:
        """Why it cannot be launched now, if it cannot."""
        if survey.status is not SurveyStatus.DRAFT:
            return SurveyRefusal.NOT_DRAFT
        if survey.deadline is None:
            return SurveyRefusal.NO_DEADLINE
        if survey.deadline <= self._clock.now():
            return SurveyRefusal.DEADLINE_PAST
        if not await self._organizations.schools(survey.district_id):
            return DistrictRefusal.NO_SCHOOLS
        if not await self.recipients(survey):
            return SurveyRefusal.NO_AUDIENCE
        return None

    async def launch(
        self, survey: DistrictSurvey
    ) -> DistrictLaunch | SurveyRefusal | DistrictRefusal:
        refused = await self.refusal(survey)
        if refused is not None:
            return refused
        if not await self._repo.start_district(survey.id, self._clock.now()):
            return SurveyRefusal.NOT_DRAFT
        launched = await self._reload(survey)
        assert isinstance(launched, DistrictSurvey)
        schools = await self._parts(launched)
        rates = await self.rates(launched)
        log.info("district survey launched survey_id=%s schools=%s", survey.id, schools)
        return DistrictLaunch(schools, sum(r.rate.recipients for r in rates))

    async def _parts(self, survey: DistrictSurvey) -> int:
        """Each school's campaign, made and launched once; a school that has it already (a
        launch resumed after a crash) is left as it is, to SurveyService.resume."""
        made = 0
        for school in await self._organizations.schools(survey.district_id):
            part_id = await self._repo.add_school_part(survey, school.id, self._clock.now())
            if part_id is None:
                continue
            part = await self._surveys.get(part_id)
            assert part is not None
            await self._surveys.finish_launch(part, STORING)
            made += 1
        await self._repo.district_launched(survey.id)
        return made

    async def resume(self) -> int:
        """At start-up and hourly: district launches a crash cut short get their missing
        schools' campaigns (the unfinished campaigns themselves are SurveyService.resume's)."""
        unfinished = await self._repo.unfinished_districts()
        for survey in unfinished:
            await self._parts(survey)
            log.info("district survey launch resumed survey_id=%s", survey.id)
        return len(unfinished)

    async def rates(self, survey: DistrictSurvey) -> list[SchoolRate]:
        """The response rate of every school it went to."""
        found = []
        for part in await self._repo.school_parts(survey.id):
            school = await self._organizations.school(part.organization_id)
            if school is not None:
                found.append(SchoolRate(school, await self._surveys.rate(part)))
        return found
