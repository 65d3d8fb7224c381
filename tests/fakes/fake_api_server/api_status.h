#pragma once
// The Status object the Kubernetes API server answers errors with, e.g.
// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"services
// \"web\" not found","reason":"NotFound","details":{"name":"web","kind":"services"},
// "code":404}. Pure functions; thread-safe.
#include <string>
#include <string_view>

#include <cpprest/json.h>

namespace portico::testing {

// The reason the API server gives with `code` ("NotFound" for 404, "InternalError" for 500,
// ...); empty for codes it has no reason for.
std::string status_reason(int code);

web::json::value status_object(int code, std::string_view reason, std::string_view message);
std::string status_json(int code, std::string_view reason, std::string_view message);

// How the API server names one object in messages: `ingresses.networking.k8s.io "web"`.
// `resource` is the collection path ("/apis/networking.k8s.io/v1/ingresses").
std::string describe_object(std::string_view resource, std::string_view name);

// An error about one object, with `details` naming it as the API server does.
std::string object_status_json(int code, std::string_view reason, std::string_view resource,
                               std::string_view name, std::string_view message);

}  // namespace portico::testing
