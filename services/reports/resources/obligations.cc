// Who must report on which document, how often and how soon.
#include "common/api/locality_name.h"
#include "common/status/quoted.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

#define CAUNOI_OBLIGATION_COLUMNS                                           \
  "o.id, o.document_id, o.unit_id, o.locality_id, o.cadence, o.cutoff_day," \
  " o.timely_days, o.first_period, o.last_period, o.reviewer_id, "          \
  "o.unit_locality_id, o.commune_code, " CAUNOI_STANDARD_COLUMNS("o")

constexpr resource::ConstraintRule kConstraints[] = {
    {"obligation_unique", "obligation.unit", absl::StatusCode::kAlreadyExists,
     "this unit already has an obligation to report on this document"},
    {"report_obligation_exists", "obligation", absl::StatusCode::kNotFound, "",
     "reports were filed under this obligation; it cannot be deleted"},
};

// The document and unit are fixed once created; a different pair is a
// different obligation.
constexpr absl::string_view kUpdatable[] = {"cadence",      "cutoff_day",  "timely_days",
                                            "first_period", "last_period", "reviewer"};

constexpr int kMaxTimelyDays = 366;

// A period label that fits the cadence, or INVALID_ARGUMENT naming `field`.
absl::StatusOr<periods::Period> PeriodOf(const v1::Obligation& obligation, absl::string_view label,
                                         absl::string_view field) {
  absl::StatusOr<periods::Period> period = periods::ParsePeriod(label);
  if (!period.ok()) return InvalidFieldError(field, period.status().message());
  const std::optional<periods::PeriodKind> kind = PeriodKindOf(obligation.cadence());
  if (kind != period->kind || period->cutoff_day != obligation.cutoff_day()) {
    return InvalidFieldError(
        field, absl::StrCat(Quoted(label), " is not a period of the obligation's cadence"));
  }
  return *period;
}

absl::Status Validate(const v1::Obligation& obligation) {
  CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(obligation.document(), "directives/{}",
                                                     "obligation.document", true));
  CAUNOI_RETURN_IF_ERROR(
      resource::ValidateReference(obligation.unit(), "organizations/{}", "obligation.unit", true));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(obligation.reviewer(), "organizations/{}",
                                                     "obligation.reviewer", false));
  if (!obligation.reviewer().empty() && obligation.reviewer() == obligation.unit()) {
    return InvalidFieldError("obligation.reviewer", "a unit never reviews its own reports");
  }
  CAUNOI_RETURN_IF_ERROR(resource::ValidateEnum(obligation.cadence(), "obligation.cadence"));
  if (obligation.cadence() == v1::CADENCE_CUT_OFF_MONTHLY) {
    if (obligation.cutoff_day() < 1 || obligation.cutoff_day() > 28) {
      return InvalidFieldError("obligation.cutoff_day", "must be 1..28 for a cut-off month");
    }
  } else if (obligation.cutoff_day() != 0) {
    return InvalidFieldError("obligation.cutoff_day", "is only set with CUT_OFF_MONTHLY");
  }
  if (obligation.timely_days() < 0 || obligation.timely_days() > kMaxTimelyDays) {
    return InvalidFieldError("obligation.timely_days", "must be 0..366");
  }
  CAUNOI_ASSIGN_OR_RETURN(periods::Period first, PeriodOf(obligation, obligation.first_period(),
                                                          "obligation.first_period"));
  if (!obligation.last_period().empty()) {
    CAUNOI_ASSIGN_OR_RETURN(periods::Period last, PeriodOf(obligation, obligation.last_period(),
                                                           "obligation.last_period"));
    if (last.first < first.first) {
      return InvalidFieldError("obligation.last_period", "comes before first_period");
    }
  }
  return absl::OkStatus();
}

std::vector<pg::Param> Columns(const v1::Obligation& obligation) {
  const periods::Period first = *periods::ParsePeriod(obligation.first_period());
  resource::Params params;
  params.Append({resource::IdParam(obligation.document()), resource::IdParam(obligation.unit()),
                 resource::LocalityParam(obligation.locality())});
  params.Text(api::EnumToken(obligation.cadence()))
      .Int64(obligation.cutoff_day())
      .Int64(obligation.timely_days())
      .Text(first.Label())
      .Text(api::FormatIsoDate(first.first));
  if (obligation.last_period().empty()) {
    params.Null().Null();
  } else {
    const periods::Period last = *periods::ParsePeriod(obligation.last_period());
    params.Text(last.Label()).Text(api::FormatIsoDate(last.first));
  }
  params.Append({resource::IdParam(obligation.reviewer()),
                 resource::LocalityParam(obligation.unit_locality()),
                 resource::IdParam(obligation.commune())});
  return params.Take();
}

constexpr api::FilterField kFilterFields[] = {
    {"document", true, false, resource::ReferenceFilter, "directives/{}"},
    {"unit", true, false, resource::ReferenceFilter, "organizations/{}"},
    {"locality", true, false, resource::LocalityFilter},
    {"commune", true, false, resource::CommuneFilter},
};

}  // namespace

std::optional<periods::PeriodKind> PeriodKindOf(v1::Cadence cadence) {
  switch (cadence) {
    case v1::CADENCE_YEARLY:
      return periods::PeriodKind::kYear;
    case v1::CADENCE_HALF_YEARLY:
      return periods::PeriodKind::kHalfYear;
    case v1::CADENCE_QUARTERLY:
      return periods::PeriodKind::kQuarter;
    case v1::CADENCE_MONTHLY:
      return periods::PeriodKind::kMonth;
    case v1::CADENCE_CUT_OFF_MONTHLY:
      return periods::PeriodKind::kCutoffMonth;
    default:
      return std::nullopt;
  }
}

v1::Obligation ObligationFromRow(resource::RowReader& row) {
  v1::Obligation obligation;
  obligation.set_name(api::FormatResourceName(kObligationPattern, {row.Text()}));
  obligation.set_document(absl::StrCat("directives/", row.Text()));
  obligation.set_unit(absl::StrCat("organizations/", row.Text()));
  if (auto id = row.OptionalText()) obligation.set_locality(LocalityName(*id));
  obligation.set_cadence(resource::EnumFromRow<v1::Cadence>(row));
  obligation.set_cutoff_day(static_cast<int32_t>(row.Int64()));
  obligation.set_timely_days(static_cast<int32_t>(row.Int64()));
  obligation.set_first_period(row.Text());
  obligation.set_last_period(row.Text());
  if (auto id = row.OptionalText()) obligation.set_reviewer(absl::StrCat("organizations/", *id));
  if (auto id = row.OptionalText()) obligation.set_unit_locality(LocalityName(*id));
  if (auto code = row.OptionalText()) {
    obligation.set_commune(CommuneName(api::ResourceId(obligation.locality()), *code));
  }
  resource::ReadStandardColumns(row, obligation);
  return obligation;
}

const pg::Statement kObligationsWithoutUnitLocality = {
    "obligation_without_unit_locality", "SELECT " CAUNOI_OBLIGATION_COLUMNS
                                        " FROM reports.obligations o"
                                        " WHERE o.unit_locality_id IS NULL AND o.id > $1"
                                        " ORDER BY o.id LIMIT $2"};

const pg::Statement kObligationsByIds = {
    "obligation_get_each",
    "SELECT DISTINCT ON (o.id) " CAUNOI_OBLIGATION_COLUMNS
    " FROM unnest($1::bigint[]) AS wanted (id) JOIN reports.obligations o ON o.id = wanted.id"};

const pg::Statement kObligationsOfDocument = {"obligation_of_document",
                                              "SELECT " CAUNOI_OBLIGATION_COLUMNS
                                              " FROM reports.obligations o WHERE o.document_id = $1"
                                              " ORDER BY o.id"};

const resource::ResourceSpec<v1::Obligation> kObligationSpec = {
    .table =
        {
            .pattern = kObligationPattern,
            .select = {"obligation_get", "SELECT " CAUNOI_OBLIGATION_COLUMNS
                                         " FROM reports.obligations o WHERE o.id = $1"},
            .insert = {"obligation_insert",
                       "INSERT INTO reports.obligations (document_id, unit_id, locality_id,"
                       " cadence, cutoff_day, timely_days, first_period, first_day, last_period,"
                       " last_day, reviewer_id, unit_locality_id, commune_code)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                       " RETURNING id"},
            .update =
                {"obligation_update",
                 "UPDATE reports.obligations SET locality_id = $5, cadence = $6,"
                 " cutoff_day = $7, timely_days = $8, first_period = $9, first_day = $10,"
                 " last_period = $11, last_day = $12, reviewer_id = $13, unit_locality_id = $14,"
                 " commune_code = $15,"
                 " revision = revision + 1,"
                 " update_time = now()"
                 " WHERE id = $1 AND revision = $2 AND document_id = $3 AND unit_id = $4"
                 " RETURNING id"},
            .remove = {"obligation_delete",
                       "DELETE FROM reports.obligations WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = ObligationFromRow,
            .constraints = kConstraints,
        },
    .field = "obligation",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = Columns,
};

const resource::ListSpec kObligationList = {
    .statement = {"obligation_list",
                  "SELECT " CAUNOI_OBLIGATION_COLUMNS " FROM reports.obligations o"
                  " WHERE ($1::bigint IS NULL OR o.id > $1)"
                  "   AND ($3::bigint IS NULL OR o.document_id = $3)"
                  "   AND ($4::bigint IS NULL OR o.unit_id = $4)"
                  "   AND ($5::text IS NULL OR o.locality_id = $5)"
                  "   AND ($6::text IS NULL OR o.commune_code = $6)"
                  " ORDER BY o.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::reports
