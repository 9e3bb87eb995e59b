#ifndef CAUNOI_COMMON_API_PAGE_TOKEN_H_
#define CAUNOI_COMMON_API_PAGE_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Keyset paging (AIP-158). A page token holds the sort key of the last row
// returned, so the next page starts strictly after it: rows inserted
// meanwhile never shift a page, repeat a row or hide one. The token is bound
// to the query that made it (filter, ordering, flags) and checksummed, so a
// token that was altered, truncated or reused with another query is
// INVALID_ARGUMENT on "page_token". It is opaque, not secret: it only holds
// a position the caller could reach by paging.
namespace caunoi::api {

std::string EncodePageToken(absl::string_view query, const std::vector<std::string>& last_key);

// `query` must describe the request exactly as when the token was made.
absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view token,
                                                         absl::string_view query);

// page_size: 0 means `default_size`, larger than `max_size` is clamped
// (AIP-158), negative is INVALID_ARGUMENT.
absl::StatusOr<int> ResolvePageSize(int requested, int default_size, int max_size);

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_PAGE_TOKEN_H_
