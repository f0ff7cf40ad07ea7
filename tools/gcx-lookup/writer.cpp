// gcx-lookup: standard output, written by a thread of its own.
#include "writer.hpp"

#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace gcx_lookup {

fd_writer::fd_writer(int fd, bool flush_each, std::function<void()> on_epipe)
    : fd_(fd), flush_each_(flush_each), on_epipe_(std::move(on_epipe)), thread_([this] { run(); }) {}

fd_writer::~fd_writer() {
    {
        std::lock_guard<std::mutex> lk(m_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void fd_writer::push(std::string text, std::size_t results) {
    {
        std::lock_guard<std::mutex> lk(m_);
        queue_.emplace_back(std::move(text), results);
    }
    wake_.notify_one();
}

void fd_writer::drain() {
    std::unique_lock<std::mutex> lk(m_);
    draining_ = true;
    wake_.notify_one();
    idle_.wait(lk, [this] { return (queue_.empty() && !busy_ && !buffered_) || broken_.load(); });
    draining_ = false;
}

void fd_writer::write_promptly() {
    std::lock_guard<std::mutex> lk(m_);
    flush_each_ = true;
    wake_.notify_one();
}

std::string fd_writer::error() const {
    std::lock_guard<std::mutex> lk(m_);
    return error_;
}

bool fd_writer::write_out(std::string& buf) {
    std::size_t done = 0;
    while (done < buf.size()) {
        const ssize_t n = ::write(fd_, buf.data() + done, buf.size() - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        const int err = n < 0 ? errno : EIO;
        if (err == EPIPE) on_epipe_();  // the reader went away: does not return
        std::lock_guard<std::mutex> lk(m_);
        error_ = std::strerror(err);
        broken_ = true;
        return false;
    }
    buf.clear();
    return true;
}

void fd_writer::run() {
    std::string buf;
    std::unique_lock<std::mutex> lk(m_);
    for (;;) {
        wake_.wait(lk, [this] { return stop_ || ((draining_ || flush_each_) && buffered_) || !queue_.empty(); });
        while (!queue_.empty()) {
            auto item = std::move(queue_.front());
            queue_.pop_front();
            if (!broken_) buf += item.first;
            written_ += item.second;
            if (buf.size() >= block) {
                busy_ = true;
                lk.unlock();
                const bool ok = write_out(buf);
                lk.lock();
                busy_ = false;
                if (!ok) buf.clear();
            }
        }
        // The queue is empty: write what is buffered when asked to, or at the end.
        if (!buf.empty() && !broken_ && (flush_each_ || draining_ || stop_)) {
            busy_ = true;
            lk.unlock();
            write_out(buf);
            lk.lock();
            busy_ = false;
            if (!queue_.empty()) continue;
        }
        if (broken_) buf.clear();  // a broken writer drops what it holds
        buffered_ = !buf.empty();
        idle_.notify_all();
        if (stop_ && queue_.empty()) return;
    }
}

}  // namespace gcx_lookup
