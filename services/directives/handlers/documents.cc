#include "services/directives/directives_service.h"

// Documents beyond their standard methods: lists by current locality,
// updates that may move them, the cascade below one, the change stream, and
// citations.
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/auth/principal.h"
#include "common/resource/reply.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/directives/document_changes.h"
#include "services/directives/resources/resources.h"
#include "services/directives/symbol.h"
#include "services/directives/written_date.h"

namespace caunoi::directives {

using api::MaskCovers;

grpc::Status DirectivesService::UpdateDocument(grpc::ServerContext* context,
                                               const v1::UpdateDocumentRequest* request,
                                               v1::Document* response) {
  absl::StatusOr<v1::Document> updated = [&]() -> absl::StatusOr<v1::Document> {
    CAUNOI_ASSIGN_OR_RETURN(
        google::protobuf::FieldMask mask,
        api::WithDerivedPath(request->update_mask(), "locality", "current_locality"));
    v1::Document patch = request->document();
    const absl::Time deadline = api::RequestDeadline(*context);
    // A symbol checked against its issuer needs both in the patch; a
    // document's issuer, once named, cannot be cleared.
    if (MaskCovers(mask, "issuing_organization") &&
        (mask.paths_size() > 0 || !patch.issuing_organization().empty())) {
      if (MaskCovers(mask, "symbol") && ParseSymbol(patch.symbol()).ok()) {
        CAUNOI_RETURN_IF_ERROR(CheckIssuer(patch, deadline));
      } else if (patch.issuing_organization().empty()) {
        return InvalidFieldError("document.issuing_organization", "cannot be cleared");
      } else {
        CAUNOI_RETURN_IF_ERROR(organizations_.CheckOrganization(
            patch.issuing_organization(), "document.issuing_organization", deadline));
      }
    }
    auto writes = [&](absl::string_view field, bool set) {
      return MaskCovers(mask, field) && (mask.paths_size() > 0 || set);
    };
    const bool moves = writes("locality", !patch.locality().empty());
    const bool commune_moves = writes("commune", !patch.commune().empty());
    if (moves) CAUNOI_RETURN_IF_ERROR(ResolveCurrentLocality(patch, deadline));
    CAUNOI_RETURN_IF_ERROR(CheckDocumentWrite(*context, patch.name()));
    if (moves || commune_moves) {
      // Where the document will be: the patch over what is stored.
      absl::StatusOr<v1::Document> placed = store_.resources().Get(
          kDocumentSpec.table, patch.name(), api::ResourceId(patch.name()), deadline);
      if (absl::IsNotFound(placed.status()) || absl::IsInvalidArgument(placed.status())) {
        placed = patch;  // left to the update to report
      }
      CAUNOI_RETURN_IF_ERROR(placed.status());
      if (moves) {
        placed->set_locality(patch.locality());
        placed->set_current_locality(patch.current_locality());
      }
      if (commune_moves) placed->set_commune(patch.commune());
      if (writes("issue_date", patch.has_issue_date())) {
        *placed->mutable_issue_date() = patch.issue_date();
      }
      CAUNOI_RETURN_IF_ERROR(CheckCommune(*placed, deadline));
      CAUNOI_RETURN_IF_ERROR(auth::CheckWrite(
          *context, PlaceOf(placed->current_locality(), placed->commune()), "a document there"));
    }
    return resource::UpdateResource(store_.resources(), kDocumentSpec, *context, "UpdateDocument",
                                    *request, patch, mask, request->reason());
  }();
  return resource::Reply(std::move(updated), response);
}

grpc::Status DirectivesService::GetCascade(grpc::ServerContext* context,
                                           const v1::GetCascadeRequest* request,
                                           v1::GetCascadeResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            api::ParseResourceName(request->name(), kDocumentPattern, "name"));
    CAUNOI_ASSIGN_OR_RETURN(const int page_size,
                            api::ResolvePageSize(request->page_size(), 500, 2000));
    CascadeKey after;
    if (!request->page_token().empty()) {
      CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> key,
                              api::DecodePageToken(request->page_token(), request->name()));
      absl::CivilDay day;
      int64_t id = 0;
      if (key.size() != 3 || !absl::SimpleAtoi(key[0], &after.depth) ||
          !absl::ParseCivilTime(key[1], &day) || !absl::SimpleAtoi(key[2], &id)) {
        return InvalidFieldError("page_token", "is not a token of this cascade");
      }
      after.issue_date = key[1];
      after.id = key[2];
    }
    const absl::Time deadline = api::RequestDeadline(*context);
    CAUNOI_ASSIGN_OR_RETURN(CascadePage page,
                            store_.GetCascade(request->name(), ids[0], after, page_size, deadline));
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> localities,
                            organizations_.CurrentLocalities(deadline));
    *response = std::move(page.response);
    for (const std::string& locality : localities) {
      if (!page.reached_localities.contains(locality)) {
        response->add_localities_without_document(locality);
      }
    }
    if (page.last.has_value()) {
      response->set_next_page_token(api::EncodePageToken(
          request->name(), {absl::StrCat(page.last->depth), page.last->issue_date, page.last->id}));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::ServerWriteReactor<v1::DocumentChange>* DirectivesService::WatchDocuments(
    grpc::CallbackServerContext*, const v1::WatchDocumentsRequest* request) {
  // Documents are the changes whose state decodes as one.
  return changes_.Open<v1::DocumentChange>(
      request->cursor(), [](size_t, const changes::ChangeEvent& event, const std::string& cursor,
                            v1::DocumentChange& out) {
        if (!IsDocumentName(event.change.resource())) return false;
        out.set_cursor(cursor);
        out.set_action(event.change.action());
        out.set_name(event.change.resource());
        *out.mutable_time() = event.change.time();
        if (const auto* document = event.Typed()) out.mutable_document()->CopyFrom(*document);
        return true;
      });
}

grpc::Status DirectivesService::GetImplementationStatus(
    grpc::ServerContext* context, const v1::GetImplementationStatusRequest* request,
    v1::GetImplementationStatusResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            api::ParseResourceName(request->name(), kDocumentPattern, "name"));
    const absl::Time deadline = api::RequestDeadline(*context);
    CAUNOI_ASSIGN_OR_RETURN(
        const pg::Param locality,
        organizations_.CurrentLocalityIdIfNamed(request->locality(), "locality", deadline));
    CAUNOI_ASSIGN_OR_RETURN(*response,
                            store_.GetImplementationStatus(request->name(), ids[0], locality,
                                                           request->communes_by_code(), deadline));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status DirectivesService::ParseCitation(grpc::ServerContext*,
                                              const v1::ParseCitationRequest* request,
                                              v1::ParseCitationResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<DocumentSymbol> symbol = ParseSymbol(request->symbol());
    if (!symbol.ok()) return InvalidFieldError("symbol", symbol.status().message());
    response->set_number(symbol->number);
    response->set_type_code(symbol->type_code);
    response->set_issuer_code(symbol->issuer_code);
    response->set_normalized_symbol(symbol->normalized);
    response->set_type(TypeOfCode(symbol->type_code));
    if (!request->written_date().empty()) {
      absl::StatusOr<absl::CivilDay> day = ParseWrittenDate(request->written_date());
      if (!day.ok()) return InvalidFieldError("written_date", day.status().message());
      *response->mutable_date() = api::ToDate(*day);
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace caunoi::directives
