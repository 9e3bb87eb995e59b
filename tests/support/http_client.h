#ifndef CAUNOI_TESTS_SUPPORT_HTTP_CLIENT_H_
#define CAUNOI_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <map>
#include <string>

namespace caunoi::testing {

struct HttpResponse {
  int status = 0;  // 0: no answer
  // Header names in lower case.
  std::map<std::string, std::string> headers;
  std::string body;
};

// One HTTP/1.0 request to 127.0.0.1:`port`, read to the end. `headers` are
// "Name: value" lines, each ending "\r\n".
HttpResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& headers = "", const std::string& body = "");

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_HTTP_CLIENT_H_
