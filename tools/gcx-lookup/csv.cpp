// gcx-lookup: the CSV reader and writer (see csv.hpp).
#include "csv.hpp"

#include "report.hpp"

#include <gcx/error_codes.hpp>
#include <gcx/phone.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace gcx_lookup {
namespace csv {

reader::reader(int fd, std::size_t max_bytes) : fd_(fd), max_(max_bytes) {}

long reader::read_some(char* into, std::size_t room) {
    if (eof_) return 0;
    const long n = read_input(fd_, into, room, error_);
    if (n <= 0) eof_ = true;
    return n;
}

bool reader::fill() {
    const long n = read_some(buf_, sizeof buf_);
    if (n <= 0) return false;
    consumed_ += len_;
    pos_ = 0;
    len_ = static_cast<std::size_t>(n);
    return true;
}

int reader::peek() {
    if (pos_ == len_ && !fill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
}

int reader::get() {
    const int c = peek();
    if (c >= 0) ++pos_;
    return c;
}

namespace {
/// `s` cut to at most `n` bytes, not inside a UTF-8 sequence.
void cut(std::string& s, std::size_t n) {
    if (s.size() <= n) return;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
}
}  // namespace

std::optional<record> reader::next() {
    if (!started_) {
        // The BOM: the first three bytes, which a pipe may give one read at a time.
        started_ = true;
        while (len_ < 3 && !eof_) len_ += static_cast<std::size_t>(read_some(buf_ + len_, sizeof buf_ - len_));
        if (len_ >= 3 && std::memcmp(buf_, "\xEF\xBB\xBF", 3) == 0) {
            bom_ = true;
            pos_ = 3;
        }
    }
    enum class state { field_start, unquoted, quoted, quote_seen };
    record r;
    r.line = line_;
    state s = state::field_start;
    std::string field;
    bool any = false;  // a byte of the record (not of a terminator) was read
    auto fault = [&r](std::string why) {
        if (r.error.empty()) r.error = std::move(why);
    };
    // Every byte of the record goes through keep(): raw and the decoded fields stop growing at
    // the bound.
    auto keep = [&](char c) {
        if (r.too_long) return false;
        if (r.raw.size() >= max_) {
            r.too_long = true;
            r.error = "the record is longer than " + std::to_string(max_) + " bytes" +
                      (s == state::quoted ? " (a quote left open?)" : "");
            cut(r.raw, std::min(kept_of_long_record, max_));
            r.fields.clear();
            field.clear();
            return false;
        }
        r.raw += c;
        return true;
    };
    auto end_field = [&] {
        if (!r.too_long) r.fields.push_back(std::move(field));
        field.clear();
        s = state::field_start;
    };
    for (;;) {
        const int c = get();
        if (c < 0) {  // the end of the input
            if (!any) return std::nullopt;
            if (s == state::quoted) fault("a quoted field is still open at the end of the input");
            end_field();
            return r;
        }
        const char ch = static_cast<char>(c);
        if (s == state::quoted) {
            if (ch == '"') {
                keep(ch);
                s = state::quote_seen;
            } else if (keep(ch)) {
                field += ch;
            }
            if (ch == '\n' || (ch == '\r' && peek() != '\n')) ++line_;
            continue;
        }
        if (s == state::quote_seen) {
            if (ch == '"') {  // "" in a quoted field: a quote
                if (keep(ch)) field += ch;
                s = state::quoted;
                continue;
            }
            if (ch != ',' && ch != '\r' && ch != '\n') {
                fault("a character after the closing quote of a field");
                s = state::unquoted;
            }
        }
        if (ch == '\r' || ch == '\n') {
            if (ch == '\r' && peek() == '\n') {
                get();
                r.end = "\r\n";
            } else {
                r.end = std::string(1, ch);
            }
            ++line_;
            if (!any) {  // a blank line
                r.line = line_;
                continue;
            }
            end_field();
            return r;
        }
        if (!any) r.start = consumed_ + pos_ - 1;  // this byte's offset
        any = true;
        if (ch == ',') {
            keep(ch);
            end_field();
            continue;
        }
        if (ch == '"') {
            if (s == state::field_start) {
                s = state::quoted;
                keep(ch);
                continue;
            }
            fault("a quote inside an unquoted field (quote the whole field, and double the quote)");
        }
        s = state::unquoted;
        if (keep(ch)) field += ch;
    }
}

std::string quoted(std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
    std::string s;
    s.reserve(field.size() + 2);
    s += '"';
    for (char c : field) {
        if (c == '"') s += '"';
        s += c;
    }
    s += '"';
    return s;
}

namespace {
/// After a leading '+' or '-': a number as a phone or an amount is written, which no spreadsheet
/// takes for a formula that calls anything.
bool number_like(std::string_view rest) {
    bool digit = false;
    for (char c : rest) {
        if (c >= '0' && c <= '9') digit = true;
        else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')' && c != '/') return false;
    }
    return digit;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

/// The header names, for an error message: each shown() and quoted, at most about 200 bytes.
std::string header_list(const std::vector<std::string>& header) {
    // A first row holding a phone number is data, not a header (a file without its header row):
    // its fields are a customer's and are not echoed. Any field with 7 or more digits counts, in
    // whatever form (national, "+44 (0)20 ...", a typo): not only what a lookup would accept.
    for (const auto& h : header)
        if (std::count_if(h.begin(), h.end(), [](char c) { return c >= '0' && c <= '9'; }) >= 7)
            return "its first row holds a phone number: it looks like data, not a header row (--csv wants a header "
                   "row first; the row is not shown)";
    std::string s;
    for (const auto& h : header) {
        std::string one = (s.empty() ? "\"" : ", \"") + shown(h, 60) + "\"";
        if (s.size() + one.size() > 200) {
            s += ", ...";
            break;
        }
        s += one;
    }
    return s;
}

std::string trimmed(const std::string& v) {
    std::size_t b = 0, e = v.size();
    while (b < e && (v[b] == ' ' || v[b] == '\t')) ++b;
    while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
    return v.substr(b, e - b);
}
}  // namespace

std::string cell(std::string_view value) {
    // C0 controls but TAB, CR and LF (a quoted cell keeps them), then DEL and C1, as text output.
    std::string s(value);
    for (auto& c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\r' && c != '\n') c = ' ';
    }
    s = c1_controls_to_spaces(s);
    if (!s.empty()) {
        const char f = s[0];
        const bool formula = f == '=' || f == '@' || f == '\t' || f == '\r' ||
                             ((f == '+' || f == '-') && !number_like(std::string_view(s).substr(1)));
        if (formula) s.insert(0, 1, '\'');
    }
    return quoted(s);
}

bool phone_like(std::string_view header) {
    std::string flat;  // lower case, letters and digits only
    for (char c : header)
        if (alnum(c)) flat += lower(c);
    for (const char* w : {"phone", "mobil", "msisdn", "e164", "telefon"})
        if (flat.find(w) != std::string::npos) return true;
    // Words: split on anything but letters and digits, and where a lower-case letter meets an
    // upper-case one ("CellNo").
    std::string word;
    auto is_word = [&word] { return word == "tel" || word == "cell"; };
    for (std::size_t i = 0; i <= header.size(); ++i) {
        const char c = i < header.size() ? header[i] : ' ';
        const bool boundary =
            !alnum(c) || (i > 0 && c >= 'A' && c <= 'Z' && header[i - 1] >= 'a' && header[i - 1] <= 'z');
        if (boundary) {
            if (is_word()) return true;
            word.clear();
        }
        if (alnum(c)) word += lower(c);
    }
    return false;
}

std::optional<std::size_t> phone_column(const std::vector<std::string>& header, const std::optional<std::string>& name,
                                        std::string& error) {
    if (name) {
        const std::string wanted = trimmed(*name);  // --column ' phone ' is phone too
        for (bool exact : {true, false}) {
            std::vector<std::size_t> hits;
            for (std::size_t i = 0; i < header.size(); ++i) {
                const std::string h = trimmed(header[i]);  // "id, phone": " phone" is phone
                if (exact ? h == wanted : iequal(h, wanted)) hits.push_back(i);
            }
            if (hits.size() == 1) return hits[0];
            if (hits.size() > 1) {
                error = "--column " + shown(*name, 60) + ": " + std::to_string(hits.size()) +
                        " columns of the CSV header have that name";
                return std::nullopt;
            }
        }
        error = "--column " + shown(*name, 60) + ": no such column in the CSV header (" + header_list(header) + ")";
        return std::nullopt;
    }
    for (std::size_t i = 0; i < header.size(); ++i)
        if (phone_like(header[i])) return i;
    error = "no column of the CSV header looks like a phone column (a name with phone, mobile, msisdn, e164 or "
            "telefon in it, or the word tel or cell): name it with --column NAME; the header: " +
            header_list(header);
    return std::nullopt;
}

bool rows::read_header(const std::optional<std::string>& column, std::string& error) {
    auto h = r_.next();
    if (!h) {
        error = r_.read_error()
                    ? std::string("reading the CSV from standard input failed (") + std::strerror(r_.read_error()) + ")"
                    : "no CSV header on stdin (--csv wants a header row, then one row per number)";
        return false;
    }
    if (!h->error.empty()) {
        error = "line " + std::to_string(h->line) + ": the CSV header is malformed: " + h->error;
        return false;
    }
    auto c = phone_column(h->fields, column, error);
    if (!c) return false;
    column_ = *c;
    header_ = std::move(*h);
    end_ = header_.end.empty() ? "\n" : header_.end;
    return true;
}

std::string rows::output_header(const std::vector<std::string>& paths) const {
    std::string s = r_.bom() ? "\xEF\xBB\xBF" : "";
    s += header_.raw;
    s += ",gcx_status,gcx_error_kind,gcx_error_code";
    for (const auto& p : paths) {
        s += ',';
        s += cell(p);
    }
    s += end_;
    return s;
}

std::optional<input_line> rows::next() {
    const std::size_t columns = header_.fields.size();
    for (;;) {
        auto rec = r_.next();
        if (!rec) return std::nullopt;
        // ",,,": an empty row, as a spreadsheet writes them; or a line of spaces, a blank line too.
        if (rec->error.empty() && std::all_of(rec->fields.begin(), rec->fields.end(), [](const std::string& f) {
                return f.find_first_not_of(" \t") == std::string::npos;
            }))
            continue;
        if (rec->error.empty() && rec->fields.size() != columns)
            rec->error = std::to_string(rec->fields.size()) + (rec->fields.size() == 1 ? " field" : " fields") +
                         " where the header has " + std::to_string(columns);
        input_line l;
        if (!rec->error.empty()) {
            gcx::error e = gcx::make_error(gcx::errc::invalid_input,
                                           "line " + std::to_string(rec->line) + ": malformed CSV row: " + rec->error,
                                           "the row's text is kept in its first column; fix it and run that row again");
            e.code = "csv_malformed";
            l.text = rec->raw;
            l.row = quoted(rec->raw) + std::string(columns - 1, ',');
            l.error = std::move(e);
            return l;
        }
        l.text = trimmed(rec->fields[column_]);
        l.row = std::move(rec->raw);
        if (l.text.empty()) {
            gcx::error e = gcx::make_error(gcx::errc::invalid_input,
                                           "line " + std::to_string(rec->line) + ": the phone column (" +
                                               shown(header_.fields[column_], 60) + ") is empty",
                                           "give one number a row, in E.164 form: '+', country code, subscriber "
                                           "number, e.g. +14155550100");
            e.code = std::string(gcx::codes::phone);
            l.error = std::move(e);
        }
        return l;
    }
}

}  // namespace csv
}  // namespace gcx_lookup
