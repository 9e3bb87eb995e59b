#include "common/changes/change_watch.h"

#include "common/api/deadline.h"

namespace caunoi::changes {

grpc::Status ChangeWatch::List(grpc::ServerContext& context, const v1::ListChangesRequest& request,
                               v1::ListChangesResponse& response) {
  absl::StatusOr<v1::ListChangesResponse> page =
      feed_.store().List(request, api::RequestDeadline(context));
  if (!page.ok()) return ToGrpcStatus(page.status());
  response = *std::move(page);
  return grpc::Status::OK;
}

grpc::ServerWriteReactor<v1::Change>* ChangeWatch::Watch(const v1::WatchChangesRequest& request) {
  return Open<v1::Change>(
      request.cursor(),
      [locality = request.locality(), collections = request.collections()](
          size_t, const ChangeEvent& event, const std::string& cursor, v1::Change& out) {
        if (!Matches(event.change, locality, collections)) return false;
        out = event.change;
        out.set_cursor(cursor);
        return true;
      });
}

absl::StatusOr<int64_t> ChangeWatch::StartingPosition(const std::string& cursor) {
  absl::StatusOr<std::optional<int64_t>> parsed = ParseCursor(cursor, "cursor");
  if (!parsed.ok()) return parsed.status();
  if (parsed->has_value()) return **parsed;
  if (feed_.hub().started()) return feed_.hub().latest();
  return feed_.store().Latest(absl::Now() + absl::Seconds(5));
}

}  // namespace caunoi::changes
