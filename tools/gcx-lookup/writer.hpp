// gcx-lookup: standard output, written by a thread of its own.
#ifndef GCX_LOOKUP_WRITER_HPP
#define GCX_LOOKUP_WRITER_HPP

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace gcx_lookup {

/// Writes what the batch produces to a file descriptor (standard output) on a thread of its own,
/// so that whoever produces the results never blocks on a slow or paused reader: the one-thread
/// batch loop keeps polling its lookups in flight while `| less` waits for a key. What is queued
/// is bounded by the caller (the batch's reorder window counts results until written() passes
/// them). Buffered in whole blocks (64 KiB) unless `flush_each`: then written as soon as queued.
class fd_writer {
public:
    static constexpr std::size_t block = 64 * 1024;

    /// `on_epipe`: called (on the writer's thread) when the reader went away; it does not return.
    fd_writer(int fd, bool flush_each, std::function<void()> on_epipe);
    ~fd_writer();
    fd_writer(const fd_writer&) = delete;
    fd_writer& operator=(const fd_writer&) = delete;

    /// Queues `text`, which completes `results` results (0 for a header).
    void push(std::string text, std::size_t results);

    /// Results taken from the queue (written, or in the block being filled).
    std::size_t written() const noexcept { return written_.load(); }

    /// Waits until everything queued is written to the descriptor (or writing failed).
    void drain();

    /// From now on writes each text as soon as it is queued, and what is buffered at once: after
    /// a first Ctrl-C, so that a second one (which ends the process at once) loses no result that
    /// was already complete.
    void write_promptly();

    /// Whether a write failed (other than EPIPE); then what is queued is dropped.
    bool broken() const noexcept { return broken_.load(); }
    /// The failed write's errno text.
    std::string error() const;

private:
    void run();
    bool write_out(std::string& buf);  // false when writing failed

    const int fd_;
    bool flush_each_;  // guarded by m_: set at the start (--line-buffered) or by write_promptly()
    std::function<void()> on_epipe_;
    mutable std::mutex m_;
    std::condition_variable wake_, idle_;
    std::deque<std::pair<std::string, std::size_t>> queue_;
    bool draining_ = false, stop_ = false, busy_ = false, buffered_ = false;
    std::atomic<std::size_t> written_{0};
    std::atomic<bool> broken_{false};
    std::string error_;
    std::thread thread_;  // last: started once the rest is ready
};

}  // namespace gcx_lookup

#endif
