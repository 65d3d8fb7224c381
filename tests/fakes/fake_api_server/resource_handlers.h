#pragma once
// The handlers behind resource URLs, and what they share. Every function here runs on a
// connection thread with core.mutex held by the router.
#include <string>
#include <string_view>

#include <cpprest/json.h>

#include "common/result.h"
#include "tests/fakes/fake_api_server/api_path.h"
#include "tests/fakes/fake_api_server/request_router.h"
#include "tests/fakes/fake_api_server/server_core.h"

namespace portico::testing {

struct ResourceRequest {
  ServerCore& core;
  const HttpRequest& http;
  const ApiPath& path;
  const RequestTarget& target;
  int fd;
};

// GET (list or watch) and POST (create) on a collection.
Reply handle_collection(const ResourceRequest& request);
// GET, PUT, PATCH and DELETE on an object, and GET, PUT and PATCH on its status.
Reply handle_object(const ResourceRequest& request);
// GET, PUT and PATCH on a Deployment's scale subresource.
Reply handle_scale(const ResourceRequest& request);

// A Status reply with the reason the API server gives for `code`.
Reply error_reply(int code, std::string_view message);
// A Status reply about the object the request names.
Reply object_error_reply(const ResourceRequest& request, int code, std::string_view reason,
                         std::string_view message);
Reply not_found_reply(const ResourceRequest& request);

// The request body as a JSON object with a metadata object, its namespace reconciled with
// the URL's (filled in when absent); a BadRequest message otherwise.
Result<web::json::value> object_from_body(const ResourceRequest& request);

}  // namespace portico::testing
