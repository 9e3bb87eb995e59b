#include "tests/support/webhook_receiver.h"

#include <civetweb.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace caunoi::testing {

WebhookReceiver::WebhookReceiver(absl::Time refuse_until) : refuse_until_(refuse_until) {
  const char* options[] = {"listening_ports", "127.0.0.1:0", "num_threads", "4", nullptr};
  mg_callbacks callbacks{};
  context_ = mg_start(&callbacks, this, options);
  if (context_ == nullptr) return;
  mg_set_request_handler(context_, "/", &WebhookReceiver::Handle, this);
  mg_server_port ports[1];
  if (mg_get_server_ports(context_, 1, ports) > 0) port_ = ports[0].port;
}

WebhookReceiver::~WebhookReceiver() {
  if (context_ != nullptr) mg_stop(context_);
}

std::string WebhookReceiver::url() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/hook");
}

std::vector<WebhookReceiver::Request> WebhookReceiver::requests() const {
  absl::MutexLock lock(&mutex_);
  return requests_;
}

int WebhookReceiver::Handle(mg_connection* connection, void* self) {
  auto* receiver = static_cast<WebhookReceiver*>(self);
  const mg_request_info* info = mg_get_request_info(connection);
  Request request;
  request.time = absl::Now();
  for (int i = 0; i < info->num_headers; ++i) {
    request.headers[absl::AsciiStrToLower(info->http_headers[i].name)] =
        info->http_headers[i].value;
  }
  char buffer[4096];
  int read = 0;
  while ((read = mg_read(connection, buffer, sizeof buffer)) > 0) request.body.append(buffer, read);
  request.answered = request.time < receiver->refuse_until_ ? 503 : 204;
  {
    absl::MutexLock lock(&receiver->mutex_);
    receiver->requests_.push_back(request);
  }
  mg_printf(connection, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            request.answered, request.answered == 204 ? "No Content" : "Service Unavailable");
  return request.answered;
}

}  // namespace caunoi::testing
