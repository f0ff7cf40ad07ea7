// Child processes for end-to-end tests: run a program to completion (output captured, bounded
// in time), or keep one running in the background (a server) and stop it at scope exit.
#ifndef GCX_TESTS_E2E_PROCESS_HPP
#define GCX_TESTS_E2E_PROCESS_HPP

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <map>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace e2e {

struct run_result {
    int exit_code = -1;  ///< -1: killed at the time limit
    std::string out, err;
};

namespace detail {
inline std::string slurp(const std::string& path) {
    std::string s;
    if (FILE* f = std::fopen(path.c_str(), "rb")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
        std::fclose(f);
    }
    return s;
}

inline std::vector<char*> argv_of(std::vector<std::string>& args) {
    std::vector<char*> v;
    for (auto& a : args) v.push_back(a.data());
    v.push_back(nullptr);
    return v;
}

// Environment: the parent's, minus the variables gcx-lookup reads (proxies included), plus `env`.
inline std::vector<std::string> environment(const std::map<std::string, std::string>& env) {
    std::vector<std::string> out;
    for (char** e = ::environ; *e; ++e) {
        std::string kv = *e;
        auto name = kv.substr(0, kv.find('='));
        if (name.rfind("GENESYS_", 0) == 0 || name.rfind("GCX_", 0) == 0 || name == "TARGET_FLOW_ID" || env.count(name))
            continue;
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (lower.size() >= 6 && lower.compare(lower.size() - 6, 6, "_proxy") == 0) continue;  // http_proxy & co
        out.push_back(kv);
    }
    for (const auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}
}  // namespace detail

/// Runs `args` with `env` and `input` on stdin; kills it after `limit`.
inline run_result run(std::vector<std::string> args, const std::map<std::string, std::string>& env = {},
                      const std::string& input = {}, std::chrono::seconds limit = std::chrono::seconds{120}) {
    char tmpl[] = "/tmp/gcx-e2e-XXXXXX";
    std::string dir = ::mkdtemp(tmpl);
    std::string in = dir + "/in", out = dir + "/out", err = dir + "/err";
    if (FILE* f = std::fopen(in.c_str(), "wb")) {
        std::fwrite(input.data(), 1, input.size(), f);
        std::fclose(f);
    }
    auto envs = detail::environment(env);
    // Everything the child needs is made before fork(): this process has other threads (a
    // simulator, a proxy), and one of them may hold the allocator's lock at the moment of the
    // fork, so the child may only make async-signal-safe calls (open, dup2, execve, _exit).
    // (Building argv in the child once hung an ASan run: its allocator has no fork handlers.)
    auto av = detail::argv_of(args);
    auto ev = detail::argv_of(envs);
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int fi = ::open(in.c_str(), O_RDONLY), fo = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600),
            fe = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fi, 0);
        ::dup2(fo, 1);
        ::dup2(fe, 2);
        ::execve(av[0], av.data(), ev.data());
        ::_exit(127);
    }
    run_result r;
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    for (;;) {
        pid_t w = ::waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    r.out = detail::slurp(out);
    r.err = detail::slurp(err);
    std::remove(in.c_str());
    std::remove(out.c_str());
    std::remove(err.c_str());
    ::rmdir(dir.c_str());
    return r;
}

/// A background server process. Reads its stdout line by line (the first lines announce it);
/// SIGTERM at scope exit.
class server {
public:
    explicit server(std::vector<std::string> args) {
        int p[2];
        if (::pipe(p) != 0) throw std::runtime_error("pipe failed");
        auto av = detail::argv_of(args);  // before fork(): see run()
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::dup2(p[1], 1);
            ::close(p[0]);
            ::close(p[1]);
            ::execv(av[0], av.data());
            ::_exit(127);
        }
        ::close(p[1]);
        out_ = ::fdopen(p[0], "r");
    }
    ~server() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int st = 0;
            ::waitpid(pid_, &st, 0);
        }
        if (out_) std::fclose(out_);
    }
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// The next line of its stdout, without the newline ("" at end of file).
    std::string line() {
        std::string s;
        int c;
        while ((c = std::fgetc(out_)) != EOF && c != '\n') s += static_cast<char>(c);
        return s;
    }

private:
    pid_t pid_ = -1;
    FILE* out_ = nullptr;
};

}  // namespace e2e

#endif
