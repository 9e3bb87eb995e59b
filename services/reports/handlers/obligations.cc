#include "services/reports/reports_service.h"

// Obligations beyond their standard methods: updates that keep a dissolved
// unit's duty ended, and duties derived from a document's tasks.
#include <map>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/period/period.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/reports/dissolved_duties.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

using api::MaskCovers;

// The obligation cadence a task's reporting cadence asks for.
v1::Cadence CadenceOf(v1::ReportingCadence cadence) {
  switch (cadence) {
    case v1::REPORTING_CADENCE_MONTHLY:
      return v1::CADENCE_MONTHLY;
    case v1::REPORTING_CADENCE_QUARTERLY:
      return v1::CADENCE_QUARTERLY;
    case v1::REPORTING_CADENCE_HALF_YEARLY:
      return v1::CADENCE_HALF_YEARLY;
    case v1::REPORTING_CADENCE_YEARLY:
      return v1::CADENCE_YEARLY;
    case v1::REPORTING_CADENCE_CUSTOM:
      return v1::CADENCE_CUT_OFF_MONTHLY;
    default:
      return v1::CADENCE_UNSPECIFIED;
  }
}

// Reports a year under a cadence; a unit owing several keeps the busiest.
int ReportsPerYear(v1::Cadence cadence) {
  switch (cadence) {
    case v1::CADENCE_MONTHLY:
    case v1::CADENCE_CUT_OFF_MONTHLY:
      return 12;
    case v1::CADENCE_QUARTERLY:
      return 4;
    case v1::CADENCE_HALF_YEARLY:
      return 2;
    default:
      return 1;
  }
}

}  // namespace

grpc::Status ReportsService::DeriveObligations(grpc::ServerContext* context,
                                               const v1::DeriveObligationsRequest* request,
                                               v1::DeriveObligationsResponse* response) {
  constexpr int kMaxTimelyDays = 366;
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::DeriveObligationsResponse> {
        CAUNOI_RETURN_IF_ERROR(
            resource::ValidateReference(request->document(), "directives/{}", "document", true));
        if (request->timely_days() < 0 || request->timely_days() > kMaxTimelyDays) {
          return InvalidFieldError("timely_days", "must be 0..366");
        }
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_ASSIGN_OR_RETURN(v1::Document document,
                                directives_.GetDocument(request->document(), "document", deadline));
        CAUNOI_ASSIGN_OR_RETURN(std::vector<v1::Task> tasks,
                                directives_.ListTasks(request->document(), "document", deadline));
        struct Duty {
          v1::Cadence cadence;
          int cutoff_day;
        };
        std::map<std::string, Duty> duties;  // by unit
        for (const v1::Task& task : tasks) {
          const v1::Cadence cadence = CadenceOf(task.reporting_cadence());
          if (cadence == v1::CADENCE_UNSPECIFIED) continue;
          std::vector<std::string> units(task.co_operators().begin(), task.co_operators().end());
          if (!task.lead().empty()) units.push_back(task.lead());
          for (const std::string& unit : units) {
            auto [duty, added] = duties.try_emplace(unit, Duty{cadence, task.cutoff_day()});
            if (!added && ReportsPerYear(cadence) > ReportsPerYear(duty->second.cadence)) {
              duty->second = Duty{cadence, task.cutoff_day()};
            }
          }
        }
        const absl::CivilDay issued = api::ToCivilDayUnchecked(document.issue_date());
        v1::DeriveObligationsResponse derived;
        for (const auto& [unit, duty] : duties) {
          v1::CreateObligationRequest create;
          v1::Obligation* obligation = create.mutable_obligation();
          obligation->set_document(request->document());
          obligation->set_unit(unit);
          obligation->set_cadence(duty.cadence);
          obligation->set_cutoff_day(duty.cadence == v1::CADENCE_CUT_OFF_MONTHLY ? duty.cutoff_day
                                                                                 : 0);
          obligation->set_timely_days(request->timely_days());
          obligation->set_first_period(periods::PeriodContaining(*PeriodKindOf(duty.cadence),
                                                                 issued, obligation->cutoff_day())
                                           .Label());
          v1::Obligation created;
          const grpc::Status status = CreateObligation(context, &create, &created);
          if (status.ok()) {
            *derived.add_created() = std::move(created);
            continue;
          }
          if (status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
            return FromGrpcStatus(status);
          }
          const std::string filter =
              absl::StrCat("document = \"", request->document(), "\" AND unit = \"", unit, "\"");
          std::string ignored;
          CAUNOI_ASSIGN_OR_RETURN(
              std::vector<v1::Obligation> existing,
              resource::ListResources(store_.resources(), kObligationList, ObligationFromRow,
                                      *context, "DeriveObligations", {filter, 1, "", {}},
                                      &ignored));
          for (v1::Obligation& found : existing) *derived.add_existing() = std::move(found);
        }
        return derived;
      }(),
      response);
}

grpc::Status ReportsService::UpdateObligation(grpc::ServerContext* context,
                                              const v1::UpdateObligationRequest* request,
                                              v1::Obligation* response) {
  absl::Status allowed = [&]() -> absl::Status {
    if (MaskCovers(request->update_mask(), "reviewer") &&
        !request->obligation().reviewer().empty()) {
      CAUNOI_RETURN_IF_ERROR(organizations_.CheckOrganization(
          request->obligation().reviewer(), "obligation.reviewer", api::RequestDeadline(*context)));
    }
    return IssuerOnly(*context, request->obligation().name(), "change the duty of");
  }();
  if (!allowed.ok()) return ToGrpcStatus(allowed);
  v1::Obligation patch = request->obligation();
  google::protobuf::FieldMask mask = request->update_mask();
  if (absl::Status ended = EndUpdatedWithItsUnit(*context, patch, mask); !ended.ok()) {
    return ToGrpcStatus(ended);
  }
  return resource::Reply(
      resource::UpdateResource(store_.resources(), kObligationSpec, *context, "UpdateObligation",
                               *request, patch, mask, request->reason()),
      response);
}

absl::Status ReportsService::EndUpdatedWithItsUnit(const grpc::ServerContext& context,
                                                   v1::Obligation& patch,
                                                   google::protobuf::FieldMask& mask) {
  absl::StatusOr<std::vector<std::string>> ids =
      api::ParseResourceName(patch.name(), kObligationPattern, "obligation.name");
  if (!ids.ok()) return absl::OkStatus();  // the update reports it
  const absl::Time deadline = api::RequestDeadline(context);
  absl::StatusOr<v1::Obligation> current =
      store_.resources().Get(kObligationSpec.table, patch.name(), ids->back(), deadline);
  if (!current.ok()) {
    return absl::IsNotFound(current.status()) ? absl::OkStatus() : current.status();
  }
  // Duties recorded before they kept their unit's locality ask the registry.
  std::string unit_locality = current->unit_locality();
  if (unit_locality.empty()) {
    CAUNOI_ASSIGN_OR_RETURN(
        v1::Organization unit,
        organizations_.ReadOrganization(current->unit(), "obligation.unit", deadline));
    unit_locality = unit.locality();
  }
  if (!IsDissolvedLocality(unit_locality)) return absl::OkStatus();
  // The duty as it would be stored, ended where its unit ended; the etag
  // keeps it from being computed on a stale read.
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> paths,
                          api::ResolveUpdateMask(mask, patch, kObligationSpec.updatable));
  v1::Obligation merged = *current;
  api::ApplyUpdateMask(patch, paths, merged);
  if (!periods::ParsePeriod(merged.first_period()).ok())
    return absl::OkStatus();  // validation reports it
  const bool last_period_given =
      absl::c_linear_search(paths, "last_period") && !patch.last_period().empty();
  CAUNOI_RETURN_IF_ERROR(EndWithItsUnit(merged, unit_locality, current->locality(),
                                        "obligation.first_period", last_period_given));
  patch.set_last_period(merged.last_period());
  if (mask.paths_size() > 0 && !MaskCovers(mask, "last_period")) mask.add_paths("last_period");
  if (patch.etag().empty()) patch.set_etag(current->etag());
  return absl::OkStatus();
}

}  // namespace caunoi::reports
