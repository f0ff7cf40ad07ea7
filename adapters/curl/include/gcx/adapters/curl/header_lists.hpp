// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_HEADER_LISTS_HPP
#define GCX_ADAPTERS_CURL_HEADER_LISTS_HPP

// The request header lists a libcurl easy handle sends (CURLOPT_HTTPHEADER), and the cache that
// keeps the last one built for a POST and for a GET, so a lookup's launch and polls, which
// alternate on a handle, do not rebuild theirs.

#include <gcx/http.hpp>
#include <gcx/version.hpp>

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

struct curl_slist_deleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using curl_slist_ptr = std::unique_ptr<curl_slist, curl_slist_deleter>;

/// The last header list built for a GET ([0]) and for a POST ([1]), with what each was built from.
class curl_header_lists {
public:
    /// The list kept for `fields` and `user_agent` (a POST's when `post`), or nullptr when it
    /// must be built again.
    curl_slist* find(const http::headers& fields, bool post, const std::string* user_agent) const noexcept {
        const header_list& slot = lists_[post ? 1 : 0];
        if (slot.list && slot.user_agent == user_agent && same(fields, slot.fields)) return slot.list.get();
        return nullptr;
    }

    /// Frees the list kept for a POST (`post`) or a GET, then builds the lines libcurl sends:
    /// `fields`, then `user_agent` (if not null and `fields` has none), plus what suppresses
    /// libcurl's own Content-Type and Expect. The User-Agent is a line of the list rather than
    /// CURLOPT_USERAGENT, which libcurl would format anew for every request. Returns the new
    /// list, kept until the next build for the same method; nullptr: out of memory.
    /// The handle must no longer point at the freed list.
    curl_slist* build(const http::headers& fields, bool post, const std::string* user_agent) {
        header_list& slot = lists_[post ? 1 : 0];
        slot.list.reset();
        slot.fields.clear();
        // Request headers. libcurl adds Host, Accept and Content-Length itself; it would also add
        // "Content-Type: application/x-www-form-urlencoded" to a POST and "Expect: 100-continue"
        // to a large body, which the empty "Name:" form suppresses.
        curl_slist_ptr list;
        bool oom = false;
        auto add = [&](const std::string& line) {
            curl_slist* l = curl_slist_append(list.get(), line.c_str());
            if (l == nullptr) {
                oom = true;
                return;
            }
            (void)list.release();
            list.reset(l);
        };
        std::string line;
        for (const auto& f : fields) {
            // "Name;" is libcurl's spelling of a header with an empty value.
            line = f.name;
            if (f.value.empty()) {
                line += ';';
            } else {
                line += ": ";
                line += f.value;
            }
            add(line);
        }
        if (user_agent != nullptr && !user_agent->empty() && http::find_header(fields, "User-Agent") == nullptr)
            add("User-Agent: " + *user_agent);
        if (post && http::find_header(fields, "Content-Type") == nullptr) add("Content-Type:");
        if (http::find_header(fields, "Expect") == nullptr) add("Expect:");
        if (oom) return nullptr;
        slot.fields = fields;
        slot.user_agent = user_agent;
        slot.list = std::move(list);
        return slot.list.get();
    }

private:
    static bool same(const http::headers& a, const http::headers& b) noexcept {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i].name != b[i].name || a[i].value != b[i].value) return false;
        return true;
    }

    struct header_list {
        curl_slist_ptr list;
        http::headers fields;                     // what it was built from
        const std::string* user_agent = nullptr;  // and with: the transport's options' string
    };
    header_list lists_[2];
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
