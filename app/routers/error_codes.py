"""The error codes each HTTP operation answers beyond the generic ones (app/routers/openapi.py
`generic_codes`), as `"<status> <code>"`, keyed by `"<METHOD> <path>"`.

These lists are checked two ways: every code is in the error catalogue (app/core/rules/
error_texts), and every code the app answers while the test suite runs was declared here for
the operation that answered it (tests/answered_errors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

OPERATION_ERRORS: Final[Mapping[str, tuple[str, ...]]] = {
    "POST /api/v1/activities": ("403 forbidden",),
    "PATCH /api/v1/activities/{activity_id}": ("403 forbidden",),
    "POST /api/v1/activities/{activity_id}/clone": ("403 forbidden",),
    "GET /api/v1/audit": ("403 forbidden",),
    "POST /api/v1/auth/logout": ("401 invalid_refresh_token",),
    "POST /api/v1/auth/refresh": (
        "401 invalid_refresh_token",
        "401 refresh_token_reused",
        "429 rate_limited",
    ),
    "POST /api/v1/auth/token": (
        "401 invalid_credentials",
        "429 rate_limited",
    ),
    "GET /api/v1/certificates/{certificate_id}/verify": ("404 not_found",),
    "POST /api/v1/classes": ("403 forbidden",),
    "DELETE /api/v1/classes/{class_id}": (
        "403 forbidden",
        "409 class_in_exchange",
    ),
    "PATCH /api/v1/classes/{class_id}": ("403 forbidden",),
    "GET /api/v1/classes/{class_id}/attendance-report": (
        "403 not_class_staff",
        "404 not_found",
        "429 rate_limited",
    ),
    "GET /api/v1/classes/{class_id}/attendance-report.csv": (
        "403 not_class_staff",
        "404 not_found",
        "429 rate_limited",
    ),
    "PUT /api/v1/classes/{class_id}/learners": ("403 forbidden",),
    "GET /api/v1/exchanges/{exchange_id}/messages": ("403 forbidden",),
    "POST /api/v1/exchanges/{exchange_id}/messages": (
        "403 forbidden",
        "409 exchange_thread_closed",
    ),
    "GET /api/v1/organisations/{organisation_id}/webhooks": ("403 forbidden",),
    "POST /api/v1/organisations/{organisation_id}/webhooks": (
        "403 forbidden",
        "422 webhook_url_refused",
    ),
    "GET /api/v1/organisations/{organisation_id}/webhooks/{webhook_id}": ("403 forbidden",),
    "PATCH /api/v1/organisations/{organisation_id}/webhooks/{webhook_id}": (
        "403 forbidden",
        "422 webhook_url_refused",
    ),
    "DELETE /api/v1/organisations/{organisation_id}/webhooks/{webhook_id}": ("403 forbidden",),
    "POST /api/v1/organisations/{organisation_id}/webhooks/{webhook_id}/rotate-secret": (
        "403 forbidden",
    ),
    "GET /api/v1/organisations/{organisation_id}/webhooks/{webhook_id}/deliveries": (
        "403 forbidden",
    ),
    "POST /api/v1/organisations/{organisation_id}/webhooks/{webhook_id}/deliveries/"
    "{delivery_id}/replay": (
        "403 forbidden",
        "409 webhook_disabled",
    ),
    "POST /api/v1/organisations/{organisation_id}/webhooks/{webhook_id}/ping": (
        "403 forbidden",
        "409 webhook_disabled",
    ),
    "GET /api/v1/push-subscriptions": ("404 push_disabled",),
    "POST /api/v1/push-subscriptions": ("404 push_disabled",),
    "GET /api/v1/push-subscriptions/vapid-public-key": ("404 push_disabled",),
    "DELETE /api/v1/push-subscriptions/{subscription_id}": ("404 push_disabled",),
    "POST /api/v1/exchanges/{exchange_id}/accept": (
        "403 forbidden",
        "409 exchange_not_proposed",
    ),
    "GET /api/v1/exchanges/{exchange_id}/attendance-report": (
        "403 not_exchange_staff",
        "404 not_found",
        "429 rate_limited",
    ),
    "GET /api/v1/exchanges/{exchange_id}/attendance-report.csv": (
        "403 not_exchange_staff",
        "404 not_found",
        "429 rate_limited",
    ),
    "POST /api/v1/exchanges/{exchange_id}/decline": ("409 exchange_not_proposed",),
    "GET /api/v1/exchanges/{exchange_id}/reflections": ("403 forbidden",),
    "GET /api/v1/exchanges/{exchange_id}/self-assessments": ("403 forbidden",),
    "POST /api/v1/exchanges/{exchange_id}/self-assessments": (
        "403 forbidden",
        "409 already_submitted",
    ),
    "POST /api/v1/exchanges/{exchange_id}/sessions": (
        "403 forbidden",
        "409 exchange_not_active",
        "409 schedule_conflict",
    ),
    "GET /api/v1/family": ("403 forbidden",),
    "DELETE /api/v1/guardian-invites/{invite_id}": ("409 invite_used",),
    "POST /api/v1/guardian-invites/{token}/accept": (
        "401 invalid_token",
        "401 login_required",
        "403 invite_for_another_account",
        "404 not_found",
        "409 email_taken",
        "409 invite_used",
        "409 too_many_guardians",
        "410 invite_expired",
        "410 invite_revoked",
        "429 rate_limited",
    ),
    "POST /api/v1/host-families": ("403 forbidden",),
    "PATCH /api/v1/host-families/{family_id}": ("403 forbidden",),
    "POST /api/v1/host-families/{family_id}/invites": (
        "403 forbidden",
        "409 email_taken",
    ),
    "POST /api/v1/host-families/{family_id}/vetting": ("403 forbidden",),
    "POST /api/v1/host-invites/{token}/accept": (
        "401 invalid_token",
        "401 login_required",
        "403 invite_for_another_account",
        "404 not_found",
        "409 email_taken",
        "409 invite_used",
        "410 invite_expired",
        "410 invite_revoked",
        "429 rate_limited",
    ),
    "POST /api/v1/host-matching/runs": (
        "403 forbidden",
        "404 not_found",
        "409 run_in_progress",
    ),
    "GET /api/v1/issuers/{organisation_id}": ("404 not_found",),
    "POST /api/v1/learners/{learner_id}/consent-requests": (
        "403 school_only",
        "409 consent_already_given",
        "409 no_guardian",
    ),
    "POST /api/v1/learners/{learner_id}/consents": (
        "403 forbidden",
        "403 guardian_consent_required",
        "403 learner_decides",
    ),
    "DELETE /api/v1/learners/{learner_id}/consents/{purpose}": (
        "403 forbidden",
        "403 learner_decides",
        "409 consent_not_given",
    ),
    "GET /api/v1/learners/{learner_id}/guardian-invites": ("403 forbidden",),
    "POST /api/v1/learners/{learner_id}/guardian-invites": (
        "403 forbidden",
        "409 already_linked",
        "409 email_taken",
        "409 too_many_guardians",
    ),
    "GET /api/v1/learners/{learner_id}/guardians": ("403 forbidden",),
    "POST /api/v1/learners/{learner_id}/guardians": (
        "403 forbidden",
        "409 too_many_guardians",
    ),
    "DELETE /api/v1/learners/{learner_id}/guardians/{guardian_id}": ("403 forbidden",),
    "GET /api/v1/learners/{learner_id}/hours": (
        "404 not_found",
        "429 rate_limited",
    ),
    "GET /api/v1/learners/{learner_id}/hours.csv": (
        "404 not_found",
        "429 rate_limited",
    ),
    "POST /api/v1/matching/runs": (
        "403 forbidden",
        "404 not_found",
    ),
    "POST /api/v1/mobilities": ("403 forbidden",),
    "GET /api/v1/mobilities/export": (
        "403 forbidden",
        "429 rate_limited",
    ),
    "PATCH /api/v1/mobilities/{mobility_id}": (
        "403 forbidden",
        "409 mobility_closed",
    ),
    "POST /api/v1/mobilities/{mobility_id}/checkins": (
        "403 forbidden",
        "409 checkin_exists",
        "409 not_abroad",
    ),
    "POST /api/v1/mobilities/{mobility_id}/checkins/{checkin_id}/answer": (
        "403 forbidden",
        "409 already_answered",
    ),
    "POST /api/v1/mobilities/{mobility_id}/checklist": (
        "403 forbidden",
        "409 mobility_closed",
    ),
    "POST /api/v1/mobilities/{mobility_id}/checklist/{item_id}/done": ("403 not_item_owner",),
    "PATCH /api/v1/mobilities/{mobility_id}/hosting": (
        "403 forbidden",
        "409 mobility_closed",
    ),
    "GET /api/v1/mobilities/{mobility_id}/incidents": ("403 forbidden",),
    "POST /api/v1/mobilities/{mobility_id}/incidents": ("403 forbidden",),
    "POST /api/v1/mobilities/{mobility_id}/outcomes": (
        "403 forbidden",
        "409 not_started",
    ),
    "POST /api/v1/mobilities/{mobility_id}/reflection": (
        "403 forbidden",
        "409 not_started",
    ),
    "POST /api/v1/mobilities/{mobility_id}/status": (
        "403 forbidden",
        "409 invalid_transition",
    ),
    "POST /api/v1/networks": ("403 forbidden",),
    "DELETE /api/v1/networks/{network_id}": ("403 forbidden",),
    "PATCH /api/v1/networks/{network_id}": ("403 forbidden",),
    "POST /api/v1/networks/{network_id}/members": ("403 forbidden",),
    "DELETE /api/v1/networks/{network_id}/members/{organisation_id}": (
        "403 forbidden",
        "409 coordinator_cannot_leave",
    ),
    "POST /api/v1/organisations": ("403 forbidden",),
    "DELETE /api/v1/organisations/{organisation_id}": (
        "403 forbidden",
        "409 organisation_in_use",
    ),
    "PATCH /api/v1/organisations/{organisation_id}": ("403 forbidden",),
    "GET /api/v1/organisations/{organisation_id}/checklist-template": ("403 forbidden",),
    "PUT /api/v1/organisations/{organisation_id}/checklist-template": ("403 forbidden",),
    "GET /api/v1/organisations/{organisation_id}/impact": (
        "403 forbidden",
        "404 not_found",
        "429 rate_limited",
    ),
    "GET /api/v1/organisations/{organisation_id}/impact.csv": (
        "403 forbidden",
        "404 not_found",
        "429 rate_limited",
    ),
    "POST /api/v1/placements/{placement_id}/accept": ("403 forbidden",),
    "POST /api/v1/placements/{placement_id}/decline": ("409 placement_closed",),
    "GET /api/v1/placements/{placement_id}/messages": (
        "403 forbidden",
        "409 placement_not_accepted",
    ),
    "POST /api/v1/placements/{placement_id}/messages": (
        "403 forbidden",
        "409 placement_not_accepted",
    ),
    "POST /api/v1/placements/{placement_id}/share-contact": ("403 forbidden",),
    "PATCH /api/v1/sessions/{session_id}": (
        "403 forbidden",
        "409 exchange_not_active",
        "409 schedule_conflict",
        "409 session_not_scheduled",
    ),
    "GET /api/v1/sessions/{session_id}/attendance": ("429 rate_limited",),
    "GET /api/v1/sessions/{session_id}/attendance.csv": ("429 rate_limited",),
    "POST /api/v1/sessions/{session_id}/cancel": (
        "403 forbidden",
        "409 exchange_not_active",
        "409 session_not_scheduled",
    ),
    "PUT /api/v1/sessions/{session_id}/plan": (
        "403 forbidden",
        "409 exchange_not_active",
        "409 session_not_scheduled",
    ),
    "PUT /api/v1/sessions/{session_id}/attendance/{learner_id}": ("403 not_your_learner",),
    "GET /api/v1/sessions/{session_id}/chat": ("403 forbidden",),
    "POST /api/v1/sessions/{session_id}/reflections": (
        "403 forbidden",
        "409 already_submitted",
    ),
    "POST /api/v1/sessions/{session_id}/tickets": (
        "403 consent_required",
        "403 not_a_member",
        "403 removed_from_room",
        "409 room_not_open",
        "409 session_cancelled",
        "409 session_ended",
        "429 rate_limited",
    ),
    "POST /api/v1/users": (
        "403 forbidden",
        "409 email_taken",
    ),
    "DELETE /api/v1/users/{user_id}": (
        "403 forbidden",
        "409 cannot_deactivate_self",
    ),
    "PATCH /api/v1/users/{user_id}": (
        "403 forbidden",
        "409 cannot_deactivate_self",
    ),
    "POST /api/v1/users/{user_id}/erase": (
        "403 forbidden",
        "409 already_erased",
        "409 cannot_erase_self",
    ),
    "GET /api/v1/users/{user_id}/export": (
        "403 forbidden",
        "429 rate_limited",
    ),
    "GET /calendar/{token}.ics": ("404 not_found",),
}
