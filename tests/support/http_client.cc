#include "tests/support/http_client.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/support/raw_connection.h"

namespace caunoi::testing {

HttpResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& headers, const std::string& body) {
  // Long enough for the slowest answer a test asks for (a dashboard's
  // sections wait up to 12 s).
  RawConnection connection(port, /*read_timeout_seconds=*/60);
  std::string raw;
  if (connection.connected() &&
      connection.Send(absl::StrCat(method, " ", path,
                                   " HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: ", body.size(),
                                   "\r\n", headers, "\r\n", body))) {
    (void)connection.ReadToClose(raw);
  }
  HttpResponse response;
  const size_t end_of_head = raw.find("\r\n\r\n");
  if (end_of_head == std::string::npos) return response;
  response.body = raw.substr(end_of_head + 4);
  std::vector<std::string> lines = absl::StrSplit(raw.substr(0, end_of_head), "\r\n");
  std::vector<std::string> status_line = absl::StrSplit(lines[0], ' ');
  if (status_line.size() < 2 || !absl::SimpleAtoi(status_line[1], &response.status)) {
    response.status = 0;
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    response.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
  }
  return response;
}

}  // namespace caunoi::testing
