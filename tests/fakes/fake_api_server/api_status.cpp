#include "tests/fakes/fake_api_server/api_status.h"

#include "tests/fakes/fake_api_server/api_path.h"

namespace portico::testing {

std::string status_reason(int code) {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 409:
      return "Conflict";
    case 410:
      return "Expired";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return {};
  }
}

web::json::value status_object(int code, std::string_view reason, std::string_view message) {
  web::json::value status = web::json::value::object();
  status["kind"] = web::json::value::string("Status");
  status["apiVersion"] = web::json::value::string("v1");
  status["metadata"] = web::json::value::object();
  status["status"] = web::json::value::string("Failure");
  status["message"] = web::json::value::string(std::string(message));
  status["reason"] = web::json::value::string(std::string(reason));
  status["code"] = web::json::value::number(code);
  return status;
}

std::string status_json(int code, std::string_view reason, std::string_view message) {
  return status_object(code, reason, message).serialize();
}

std::string describe_object(std::string_view resource, std::string_view name) {
  std::string text = plural_of(resource);
  if (const std::string group = group_of(resource); !group.empty()) (text += '.') += group;
  return ((text += " \"") += name) += '"';
}

std::string object_status_json(int code, std::string_view reason, std::string_view resource,
                               std::string_view name, std::string_view message) {
  web::json::value status = status_object(code, reason, message);
  web::json::value details = web::json::value::object();
  details["name"] = web::json::value::string(std::string(name));
  if (const std::string group = group_of(resource); !group.empty()) {
    details["group"] = web::json::value::string(group);
  }
  details["kind"] = web::json::value::string(plural_of(resource));
  status["details"] = details;
  return status.serialize();
}

}  // namespace portico::testing
