#ifndef CAUNOI_COMMON_STATUS_STATUS_MACROS_H_
#define CAUNOI_COMMON_STATUS_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Abseil 20220623 (Debian 12) ships no status macros; these are ours.

#define CAUNOI_RETURN_IF_ERROR(expr)                                  \
  do {                                                                \
    if (absl::Status caunoi_status_ = (expr); !caunoi_status_.ok()) { \
      return caunoi_status_;                                          \
    }                                                                 \
  } while (false)

#define CAUNOI_STATUS_CONCAT_INNER_(a, b) a##b
#define CAUNOI_STATUS_CONCAT_(a, b) CAUNOI_STATUS_CONCAT_INNER_(a, b)

#define CAUNOI_ASSIGN_OR_RETURN(lhs, expr) \
  CAUNOI_ASSIGN_OR_RETURN_IMPL_(CAUNOI_STATUS_CONCAT_(caunoi_statusor_, __LINE__), lhs, expr)

#define CAUNOI_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) {                                    \
    return std::move(statusor).status();                   \
  }                                                        \
  lhs = *std::move(statusor)

#endif  // CAUNOI_COMMON_STATUS_STATUS_MACROS_H_
