#include "services/reports/reports_service.h"

// Spreadsheets in and out: reports on a document with their values, and
// the compliance table, in the layout provincial offices keep.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/resource_name.h"
#include "common/csv/csv_reader.h"
#include "common/period/period_range.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/reports/resources/resources.h"
#include "services/reports/spreadsheets/csv_writer.h"
#include "services/reports/spreadsheets/export_store.h"
#include "services/reports/spreadsheets/import_store.h"

namespace caunoi::reports {
namespace {

// A provincial office's year of reports is a few thousand rows.
constexpr size_t kMaxImportRows = 100000;

absl::StatusOr<std::string> DocumentId(absl::string_view name) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          api::ParseResourceName(name, "directives/{}", "document"));
  return ids[0];
}

bool Send(grpc::ServerWriter<v1::CsvChunk>* writer, std::string data) {
  v1::CsvChunk chunk;
  chunk.set_data(std::move(data));
  return writer->Write(chunk);
}

std::string Rate(double rate) { return absl::StrFormat("%.4f", rate); }

}  // namespace

grpc::Status ReportsService::ImportReports(grpc::ServerContext* context,
                                           const v1::ImportReportsRequest* request,
                                           v1::ImportReportsResponse* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::ImportReportsResponse> {
        CAUNOI_ASSIGN_OR_RETURN(std::string document, DocumentId(request->document()));
        CAUNOI_ASSIGN_OR_RETURN(csv::Table table, csv::ReadTable(request->csv(), "csv"));
        if (table.rows.size() > kMaxImportRows) {
          return InvalidFieldError("csv", "at most 100000 rows; split the file");
        }
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_RETURN_IF_ERROR(
            directives_.ReadDocument(request->document(), "document", deadline).status());
        CAUNOI_ASSIGN_OR_RETURN(resource::WriteRequest write,
                                resource::WriteRequestFrom(*context, "ImportReports", *request,
                                                           request->request_id(), ""));
        CAUNOI_ASSIGN_OR_RETURN(std::optional<auth::Principal> caller, auth::CallerOf(*context));
        // Whether the caller may write each row's reports is AdmitReport's to
        // say, against each unit's obligation as the import's transaction reads it.
        return ImportReportSheet(store_.resources(), {.document_id = std::move(document),
                                                      .table = std::move(table),
                                                      .allow_partial = request->allow_partial(),
                                                      .submit = request->submit(),
                                                      .caller = std::move(caller),
                                                      .write = std::move(write),
                                                      .today = api::TodayInVietnam()});
      }(),
      response);
}

grpc::Status ReportsService::ExportReportsCsv(grpc::ServerContext* context,
                                              const v1::ExportReportsCsvRequest* request,
                                              grpc::ServerWriter<v1::CsvChunk>* writer) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::string document, DocumentId(request->document()));
    CAUNOI_ASSIGN_OR_RETURN(
        periods::PeriodRange range,
        periods::ParsePeriodRange(request->from_period(), request->to_period()));
    const absl::Time deadline = api::RequestDeadline(*context);
    CAUNOI_ASSIGN_OR_RETURN(
        std::optional<std::string> locality,
        organizations_.CurrentLocalityIdIfNamed(request->locality(), "locality", deadline));
    return ExportReportSheet(store_.resources(),
                             {.document_id = document,
                              .from = range.from ? range.from->first : absl::CivilDay(1900, 1, 1),
                              .to = range.to ? range.to->last : api::TodayInVietnam(),
                              .locality_id = locality},
                             deadline, [&](std::string data) {
                               return !context->IsCancelled() && Send(writer, std::move(data));
                             });
  }();
  return ToGrpcStatus(status);
}

grpc::Status ReportsService::ExportComplianceCsv(grpc::ServerContext* context,
                                                 const v1::ExportComplianceCsvRequest* request,
                                                 grpc::ServerWriter<v1::CsvChunk>* writer) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_RETURN_IF_ERROR(DocumentId(request->document()).status());
    CAUNOI_ASSIGN_OR_RETURN(
        periods::PeriodRange range,
        periods::ParsePeriodRange(request->from_period(), request->to_period()));
    const absl::CivilDay today = api::TodayInVietnam();
    ComplianceWindow window{std::nullopt, today, today};
    if (range.from) window.from = range.from->first;
    if (range.to) window.to = std::min(range.to->last, today);
    google::protobuf::RepeatedPtrField<std::string> documents;
    documents.Add(std::string(request->document()));
    v1::SummarizeComplianceResponse table;
    CAUNOI_RETURN_IF_ERROR(summaries_.Compliance(documents, pg::Param(),
                                                 {.by_commune = false, .with_periods = true},
                                                 window, api::RequestDeadline(*context), table));
    std::string data(kUtf8ByteOrderMark);
    AppendCsvRow(data,
                 {"Địa phương", "Kỳ báo cáo", "Hạn nộp", "Phải nộp", "Đúng hạn", "Trễ hạn",
                  "Chưa nộp, còn hạn", "Chưa nộp, quá hạn", "Tỷ lệ báo cáo", "Tỷ lệ đúng hạn"});
    for (const v1::PeriodCompliance& row : table.periods()) {
      const v1::ComplianceCounts& counts = row.counts();
      AppendCsvRow(
          data,
          {row.locality(), row.period(),
           row.has_due_date() ? api::FormatIsoDate(api::ToCivilDayUnchecked(row.due_date())) : "",
           absl::StrCat(counts.expected()), absl::StrCat(counts.on_time()),
           absl::StrCat(counts.late()), absl::StrCat(counts.missing_within_deadline()),
           absl::StrCat(counts.missing_overdue()), Rate(counts.reporting_rate()),
           Rate(counts.on_time_rate())});
    }
    if (!Send(writer, std::move(data))) return absl::CancelledError("the client went away");
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace caunoi::reports
