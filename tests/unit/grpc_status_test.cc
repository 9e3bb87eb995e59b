#include "common/status/grpc_status.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace caunoi {
namespace {

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  return details;
}

TEST(GrpcStatusTest, OkMapsToOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(GrpcStatusTest, CodesKeepTheirNumbers) {
  for (absl::StatusCode code :
       {absl::StatusCode::kInvalidArgument, absl::StatusCode::kNotFound,
        absl::StatusCode::kAlreadyExists, absl::StatusCode::kFailedPrecondition,
        absl::StatusCode::kPermissionDenied, absl::StatusCode::kUnauthenticated,
        absl::StatusCode::kAborted, absl::StatusCode::kDeadlineExceeded}) {
    const grpc::Status mapped = ToGrpcStatus(absl::Status(code, "x"));
    EXPECT_EQ(static_cast<int>(mapped.error_code()), static_cast<int>(code));
    EXPECT_EQ(mapped.error_message(), "x");
  }
}

TEST(GrpcStatusTest, FieldViolationTravelsAsBadRequestAndErrorInfo) {
  const grpc::Status mapped = ToGrpcStatus(InvalidFieldError("page_size", "must not be negative"));
  EXPECT_EQ(mapped.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(mapped.error_message(), ::testing::HasSubstr("page_size"));
  const google::rpc::Status details = DetailsOf(mapped);
  EXPECT_EQ(details.code(), 3);
  bool saw_bad_request = false, saw_error_info = false;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&bad_request)) {
      saw_bad_request = true;
      ASSERT_EQ(bad_request.field_violations_size(), 1);
      EXPECT_EQ(bad_request.field_violations(0).field(), "page_size");
    } else if (any.UnpackTo(&info)) {
      saw_error_info = true;
      EXPECT_EQ(info.reason(), "INVALID_FIELD");
      EXPECT_EQ(info.domain(), "caunoi.v1");
    }
  }
  EXPECT_TRUE(saw_bad_request);
  EXPECT_TRUE(saw_error_info);
}

TEST(GrpcStatusTest, UnavailableGetsRetryInfo) {
  const grpc::Status mapped = ToGrpcStatus(absl::UnavailableError("database unavailable"));
  const google::rpc::Status details = DetailsOf(mapped);
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(details.details(0).UnpackTo(&retry));
  EXPECT_GT(retry.retry_delay().seconds() * 1000 + retry.retry_delay().nanos() / 1000000, 0);
}

TEST(GrpcStatusTest, ExplicitRetryDelayIsKept) {
  absl::Status status = absl::AbortedError("conflict");
  SetRetryDelay(status, absl::Milliseconds(250));
  const absl::Status round_trip = FromGrpcStatus(ToGrpcStatus(status));
  ASSERT_TRUE(GetRetryInfo(round_trip).has_value());
  EXPECT_EQ(GetRetryInfo(round_trip)->retry_delay().nanos(), 250'000'000);
}

TEST(GrpcStatusTest, NotFoundHasNoRetryInfo) {
  const absl::Status round_trip = FromGrpcStatus(ToGrpcStatus(absl::NotFoundError("gone")));
  EXPECT_FALSE(GetRetryInfo(round_trip).has_value());
}

TEST(GrpcStatusTest, RoundTripRestoresCodeMessageAndDetails) {
  const absl::Status original =
      ErrorWithReason(absl::StatusCode::kNotFound, "code 72 retired", "LOCALITY_CODE_RETIRED",
                      {{"successor", "localities/80"}});
  const absl::Status round_trip = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(round_trip.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(round_trip.message(), "code 72 retired");
  ASSERT_TRUE(GetErrorInfo(round_trip).has_value());
  EXPECT_EQ(GetErrorInfo(round_trip)->reason(), "LOCALITY_CODE_RETIRED");
  EXPECT_EQ(GetErrorInfo(round_trip)->metadata().at("successor"), "localities/80");
}

TEST(GrpcStatusTest, InternalPayloadsStayOnTheServer) {
  absl::Status status = absl::InternalError("boom");
  status.SetPayload("caunoi.pg/sqlstate", absl::Cord("XX000"));
  EXPECT_EQ(DetailsOf(ToGrpcStatus(status)).details_size(), 0);
}

TEST(GrpcStatusTest, AnErrorNeverEchoesAPayload) {
  const std::string payload(100 * 1024, 'x');
  const grpc::Status field = ToGrpcStatus(
      InvalidFieldError("document.symbol", absl::StrCat(Quoted(payload), " is not a symbol")));
  EXPECT_LT(field.error_message().size(), 200u);
  EXPECT_LT(field.error_details().size(), 1024u);
  // Whatever a message holds, what reaches the client is bounded.
  const grpc::Status raw = ToGrpcStatus(absl::InvalidArgumentError(payload));
  EXPECT_LE(raw.error_message().size(), kMaxErrorMessageBytes);
  EXPECT_LT(raw.error_details().size(), 1024u);
  const grpc::Status tagged = ToGrpcStatus(
      ErrorWithReason(absl::StatusCode::kNotFound, payload, "GONE", {{"name", payload}}));
  EXPECT_LT(tagged.error_details().size(), 2048u);
}

TEST(QuotedTest, ShowsAFewDozenCharactersOfAValueAndNoControls) {
  EXPECT_EQ(Quoted("12-CT/TW"), "\"12-CT/TW\"");
  EXPECT_EQ(Quoted("a\nb"), "\"a?b\"");
  std::string long_name;
  for (int i = 0; i < 1000; ++i) long_name += "ệ";  // 3 bytes each
  const std::string shown = Quoted(long_name);
  EXPECT_LT(shown.size(), 80u);
  EXPECT_NE(shown.find("(3000 bytes)"), std::string::npos);
  // Cut at a character boundary: 16 whole characters.
  EXPECT_EQ(shown.substr(0, 1 + 16 * 3), "\"" + long_name.substr(0, 16 * 3));
  EXPECT_EQ(Shortened(long_name, 10), long_name.substr(0, 6) + "…");
}

}  // namespace
}  // namespace caunoi
