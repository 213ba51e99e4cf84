"""Pydantic models at the edge of the case api. Every incoming string is NFC-normalised; one with a
lone UTF-16 surrogate (which the database cannot store) is refused with a Vietnamese 422."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from api.cases.normalize import PhoneError, normalize_code, normalize_phone
from api.cases.provinces import match_province
from api.cases.status import CaseStatus
from api.core.text import clean_text
from knowledge.text import fold
from knowledge.vocabulary import (
    GENDERS,
    GROUPS,
    LEGAL_AID_FORMS,
    OUTCOMES,
    RELATIONS,
    SELF_RELATION,
    TOPICS,
    UNKNOWN_GROUP,
    CodeList,
)

Channel = Literal["web", "zalo", "hotline", "api"]  # knowledge.vocabulary CHANNELS (a test checks)
PROVINCE_ERROR = (
    "Không nhận ra tỉnh/thành phố. Hãy ghi tên một trong 34 tỉnh, thành phố (ví dụ: Lào Cai, TP HCM)."
)
MULTILINE_FIELDS = frozenset({"description", "note", "outcome", "rejection_reason"})
# Dates outside this range are refused (422): no case is that old or that far ahead, and the
# extremes (0001-01-01, 9999-12-31) overflow when turned into UTC instants.
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)
DATE_RANGE_ERROR = "Ngày không hợp lệ: hãy chọn một ngày từ 01/01/2000 đến 31/12/2100."
CONSENT_AT_ERROR = "consent_at không hợp lệ: thời điểm đồng ý phải từ năm 2000 đến nay."
CONTACT_AT_ERROR = "first_contact_at không hợp lệ: thời điểm liên hệ phải từ năm 2000 đến nay."
CONSENT_CLOCK_SKEW = timedelta(days=1)


CODE_ERRORS: dict[str, str] = {
    "topics": "Lĩnh vực không hợp lệ",
    "groups": "Diện được trợ giúp không hợp lệ",
    "relations": "Quan hệ của người gọi với người được trợ giúp không hợp lệ",
    "genders": "Giới tính không hợp lệ",
    "legal_aid_forms": "Hình thức trợ giúp pháp lý không hợp lệ",
    "outcomes": "Kết quả vụ việc không hợp lệ",
}
ETHNICITY_CONSENT_ERROR = (
    "Chỉ ghi dân tộc khi người được trợ giúp đồng ý cung cấp thông tin này (ethnicity_consent phải là true)."
)
BIRTH_YEAR_ERROR = "Năm sinh không hợp lệ: hãy ghi năm có 4 chữ số, từ 1900 đến năm nay."


def known_code(codes: CodeList, value: str | None) -> str | None:
    """The code of *value* in *codes* (a code, a label or a known alias), else a Vietnamese error
    listing the codes: the api stores only codes of knowledge.vocabulary."""
    if value is None:
        return None
    code = codes.code_of(value)
    if code is None:
        known = ", ".join(codes.codes)
        raise ValueError(f"{CODE_ERRORS[codes.name]}: '{value[:64]}'. Hãy dùng một mã: {known}.")
    return code


def group_value(value: str | None) -> str | None:
    """An eligibility group code; "không rõ" is no group at all."""
    if value is None or value == UNKNOWN_GROUP or fold(value).strip() in ("khong ro", "chua ro"):
        return None
    return known_code(GROUPS, value)


def check_birth_year(value: int | None) -> int | None:
    if value is not None and not 1900 <= value <= datetime.now(UTC).year:
        raise ValueError(BIRTH_YEAR_ERROR)
    return value


def check_instant(value: datetime | None, field: str, error: str) -> datetime | None:
    """A time with its zone, from 2000 to now (a day of clock skew allowed)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"{field} phải có múi giờ, ví dụ 2026-07-01T08:00:00+07:00.")
    try:
        instant = value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+07:00, 9999-12-31T23:59-07:00
        raise ValueError(error) from None
    if instant.date() < MIN_DATE or instant > datetime.now(UTC) + CONSENT_CLOCK_SKEW:
        raise ValueError(error)
    return value


def check_date_range(value: date | None) -> date | None:
    if value is not None and not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(DATE_RANGE_ERROR)
    return value


def _coded(codes: CodeList) -> Callable[[str], str | None]:
    return lambda value: known_code(codes, value)


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except PhoneError as error:
        raise ValueError(str(error)) from None


def _province(value: str) -> str:
    name = match_province(value)
    if name is None:
        raise ValueError(PROVINCE_ERROR)
    return name


def _instant(field: str, error: str) -> Callable[[datetime], datetime | None]:
    return lambda value: check_instant(value, field, error)


# One type per checked field: each model names the type, none repeats its validator. A length
# limit is checked on what was sent, before the validator maps it to its code (or to None).
TopicCode = Annotated[str, Field(max_length=100), AfterValidator(_coded(TOPICS))]
GroupCode = Annotated[str, Field(max_length=100), AfterValidator(_coded(GROUPS))]
GroupOrUnknown = Annotated[str, Field(max_length=100), AfterValidator(group_value)]
RelationCode = Annotated[str, Field(max_length=64), AfterValidator(_coded(RELATIONS))]
GenderCode = Annotated[str, Field(max_length=16), AfterValidator(_coded(GENDERS))]
LegalAidFormCode = Annotated[str, Field(max_length=64), AfterValidator(_coded(LEGAL_AID_FORMS))]
OutcomeCode = Annotated[str, Field(max_length=64), AfterValidator(_coded(OUTCOMES))]
Phone = Annotated[str, AfterValidator(_phone)]
PhoneQuery = Annotated[str, Field(max_length=40), AfterValidator(_phone)]
Province = Annotated[str, AfterValidator(_province)]
BirthYear = Annotated[int, AfterValidator(check_birth_year)]
ReportDate = Annotated[date, AfterValidator(check_date_range)]
ConsentInstant = Annotated[datetime, AfterValidator(_instant("consent_at", CONSENT_AT_ERROR))]
ContactInstant = Annotated[datetime, AfterValidator(_instant("first_contact_at", CONTACT_AT_ERROR))]


class _ReportFields(BaseModel):
    """What legal-aid centres count (issue 14, item 10): codes of knowledge.vocabulary."""

    beneficiary_gender: GenderCode | None = Field(None, description="GENDERS: nam, nu, khac")
    beneficiary_birth_year: BirthYear | None = Field(None, description="Year of birth of the person helped")
    ethnicity: str | None = Field(None, max_length=64, description="Only with ethnicity_consent: true")
    ethnicity_consent: bool = Field(False, description="The person agreed to give their ethnicity")
    legal_aid_form: LegalAidFormCode | None = Field(
        None, description="LEGAL_AID_FORMS code (Điều 27 khoản 2 Luật 11/2017/QH14)"
    )

    @model_validator(mode="after")
    def _ethnicity_needs_consent(self) -> _ReportFields:
        if self.ethnicity is not None and not self.ethnicity_consent:
            raise ValueError(ETHNICITY_CONSENT_ERROR)
        return self


def _clean(value: object) -> object:
    """NFC, trimmed, inner whitespace collapsed; empty strings become None."""
    if not isinstance(value, str):
        return value
    text = " ".join(clean_text(value).split())
    return text or None


class _Input(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _nfc(cls, value: object, info: ValidationInfo) -> object:
        if info.field_name in MULTILINE_FIELDS and isinstance(value, str):
            return clean_text(value).strip() or None  # keep line breaks
        return _clean(value)


class CaseCreate(_Input, _ReportFields):
    """A request for legal aid. `full_name` / `phone` are the beneficiary (the person the case is
    for); `caller_*` the person who called for them, if someone else (absent: they called)."""

    channel: Channel = "api"
    full_name: str = Field(min_length=1, max_length=200, description="The beneficiary")
    phone: Phone = Field(description="The beneficiary's phone, any Vietnamese form; stored as +84…")
    province: Province = Field(description="Name of one of the 34 province-level units, diacritics optional")
    commune: str | None = Field(None, max_length=200)
    eligibility_group: GroupOrUnknown | None = Field(
        None, description="A GROUPS code of knowledge.vocabulary, e.g. khoan_2_ho_ngheo"
    )
    topic: TopicCode | None = Field(None, description="A TOPICS code, e.g. dat_dai")
    caller_name: str | None = Field(None, max_length=200, description="Who called, when not the beneficiary")
    caller_phone: Phone | None = Field(None, description="The caller's phone, any Vietnamese form")
    caller_relation: RelationCode | None = Field(
        None, description="RELATIONS code: the caller is the beneficiary's … (con, hang_xom…)"
    )
    description: str = Field(min_length=1, max_length=5000)
    consent: bool = Field(description="The citizen agreed that the centre stores and processes the request")
    consent_at: ConsentInstant | None = Field(None, description="When consent was given (default: now)")
    client_request_id: str | None = Field(None, max_length=128, description="Same as Idempotency-Key")

    @model_validator(mode="after")
    def _caller(self) -> CaseCreate:
        """The beneficiary called themself: no separate caller is stored."""
        if self.caller_relation == SELF_RELATION:
            self.caller_name = self.caller_phone = self.caller_relation = None
        return self

    @field_validator("consent")
    @classmethod
    def _consent(cls, value: bool) -> bool:
        if not value:
            raise ValueError(
                "Cần có sự đồng ý của người yêu cầu để lưu thông tin hồ sơ (consent phải là true)."
            )
        return value


class CaseUpdate(_Input, _ReportFields):
    status: CaseStatus | None = None
    assignee: str | None = Field(None, max_length=200)
    referred_to: str | None = Field(None, max_length=300)
    rejection_reason: str | None = Field(None, max_length=2000)
    outcome: str | None = Field(None, max_length=5000)
    outcome_code: OutcomeCode | None = Field(None, description="OUTCOMES code: hoan_thanh…")
    eligibility_group: GroupOrUnknown | None = Field(None, description="A GROUPS code")
    topic: TopicCode | None = Field(None, description="A TOPICS code")
    commune: str | None = Field(None, max_length=200)
    first_contact_at: ContactInstant | None = Field(
        None, description="When the centre first reached the person (default: when the case left 'new')"
    )
    note: str | None = Field(None, max_length=5000)

    @model_validator(mode="after")
    def _not_empty(self) -> CaseUpdate:
        # `"assignee": null` (or "") on its own is meaningful: it removes the assignment
        given = {
            f for f in self.model_fields_set
            if f != "ethnicity_consent" and (getattr(self, f) is not None or f == "assignee")
        }
        if not given:
            raise ValueError("Yêu cầu cập nhật đang trống.")
        return self


class CaseFilters(_Input):
    status: CaseStatus | None = None
    province: Province | None = None
    eligibility_group: GroupCode | None = Field(None, description="A GROUPS code (or its label)")
    topic: TopicCode | None = Field(None, description="A TOPICS code (or its label)")
    phone: PhoneQuery | None = Field(
        None, description="A phone in any spelling: the beneficiary's or the caller's"
    )
    created_from: ReportDate | None = Field(None, description="Inclusive, Vietnam time (UTC+7)")
    created_to: ReportDate | None = Field(None, description="Inclusive, Vietnam time (UTC+7)")
    q: str | None = Field(
        None, max_length=200, description="A phone number, or words of the name, code, commune or description"
    )


class CaseListQuery(CaseFilters):
    skip: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class CaseEventPublic(BaseModel):
    at: datetime
    actor: str
    action: str
    from_status: str | None = None
    to_status: str | None = None
    changes: dict[str, Any] | None = None
    note: str | None = None


class CasePublic(BaseModel):
    code: str
    channel: str
    full_name: str
    phone: str
    province: str
    commune: str | None = None
    eligibility_group: str | None = None
    topic: str | None = None
    description: str
    status: CaseStatus
    status_label: str
    assignee: str | None = None
    referred_to: str | None = None
    rejection_reason: str | None = None
    outcome: str | None = None
    outcome_code: str | None = None
    consent_at: datetime
    created_at: datetime
    updated_at: datetime
    caller_name: str | None = Field(None, description="Who called, when not the beneficiary; masked in lists")
    caller_phone: str | None = None
    caller_relation: str | None = None
    beneficiary_gender: str | None = None
    beneficiary_birth_year: int | None = Field(None, description="Hidden when masked")
    ethnicity: str | None = Field(None, description="Hidden when masked")
    legal_aid_form: str | None = None
    first_contact_at: datetime | None = None
    accepted_at: datetime | None = None


class CaseDetail(CasePublic):
    events: list[CaseEventPublic] = Field(default_factory=list)


class CasesPublic(BaseModel):
    data: list[CasePublic]
    count: int


class CaseSubmitted(BaseModel):
    code: str = Field(
        description="The case code; empty for a duplicate of another request (never told to the sender)"
    )
    status: CaseStatus | None = None
    status_label: str | None = None
    created: bool = Field(description="False when a retry or a duplicate within 24 h matched a case")
    message: str


class StatusLookup(BaseModel):
    code: str = Field(max_length=32)
    phone_last4: str = Field(pattern=r"^\d{4}$", description="Last 4 digits of the phone number")

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: object) -> object:
        return normalize_code(clean_text(value)) if isinstance(value, str) else value


class StatusAnswer(BaseModel):
    found: bool
    code: str | None = None
    status: CaseStatus | None = None
    status_label: str | None = None
    locked: bool = Field(False, description="Too many wrong tries for this code: try again later")
    message: str


class CaseStats(BaseModel):
    total: int
    by_status: dict[str, int]
    by_eligibility_group: dict[str, int]
    by_province: dict[str, int]
    by_topic: dict[str, int]
    by_channel: dict[str, int] = Field(default_factory=dict)
    by_legal_aid_form: dict[str, int] = Field(default_factory=dict)
    by_outcome: dict[str, int] = Field(default_factory=dict)
    by_month: dict[str, int] = Field(description="YYYY-MM in Vietnam time")


class DataAccessPublic(BaseModel):
    """One read of personal data: who, what, when."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    token_id: int | None = None
    action: str
    case_code: str | None = None
    full_data: bool
    filters: dict[str, Any] | None = None
    row_count: int | None = None


class DataAccessList(BaseModel):
    data: list[DataAccessPublic]
    count: int


class AuditQuery(BaseModel):
    action: Literal["case_viewed", "cases_exported"] | None = None
    case_code: str | None = Field(None, max_length=32)
    skip: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)

    @field_validator("case_code", mode="before")
    @classmethod
    def _code(cls, value: object) -> object:
        return normalize_code(value) or None if isinstance(value, str) else value


class Me(BaseModel):
    """The signed-in staff member, as the token names them."""

    name: str
    role: str
