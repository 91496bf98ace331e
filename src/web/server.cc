// `echotrace serve`: an HTTP/1.1 server on POSIX sockets for the local UI.
//
// Design, for a tool that shows untrusted corpus data on a workstation:
// one acceptor thread, a bounded queue, a fixed number of workers each with
// its own read-only store connection; one request per connection. Every
// resource a client can make the server spend is bounded: the request head
// (16 KiB, 431), the time to send it (read timeout, 408), the waiting
// connections (queue bound, 503), the time to answer (deadline through
// SQLite's progress handler, 503), the result sizes (limit/k/q, 400).
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "echotrace/web.h"
#include "store/sqlite_util.h"
#include "web/api.h"
#include "web/http.h"

namespace echotrace {

namespace {

using Clock = std::chrono::steady_clock;

// Sends all of `data`; false when the peer is gone or too slow (the socket
// has a send timeout).
bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void Answer(int fd, const web::HttpResponse& r, bool head_only) {
  SendAll(fd, web::SerializeResponse(r, head_only));
}

enum class ReadResult { kHead, kTooLarge, kTimeout, kClosed };

// Reads until the request head is complete, within `timeout`.
ReadResult ReadHead(int fd, std::chrono::milliseconds timeout, const std::atomic<bool>* stop,
                    std::string* buf, size_t* head_len) {
  const auto deadline = Clock::now() + timeout;
  char chunk[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return ReadResult::kTimeout;
    if (stop != nullptr && stop->load()) return ReadResult::kClosed;
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 200)));
    if (rc < 0 && errno != EINTR) return ReadResult::kClosed;
    if (rc <= 0) continue;
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return ReadResult::kClosed;
    // Only the new bytes (and three before them) can complete the blank line.
    size_t from = buf->size() >= 3 ? buf->size() - 3 : 0;
    buf->append(chunk, static_cast<size_t>(n));
    size_t end = web::FindHeadEnd(std::string_view(*buf).substr(from));
    if (end != 0) {
      *head_len = from + end;
      return *head_len <= web::kMaxRequestHead ? ReadResult::kHead : ReadResult::kTooLarge;
    }
    if (buf->size() > web::kMaxRequestHead) return ReadResult::kTooLarge;
  }
}

class Server {
 public:
  Server(const ServeOptions& o, const std::atomic<bool>* stop) : o_(o), stop_(stop) {}

  Status Run(const std::string& db_path, const WebAssets& assets) {
    if (o_.threads < 1 || o_.threads > 64) {
      return Status::InvalidArgument("--threads must be from 1 to 64");
    }
    if (o_.port < 0 || o_.port > 65535) return Status::InvalidArgument("--port must be 0..65535");
    shared_.assets = assets;
    shared_.store_path = db_path;
    // One read-only connection per worker, opened now so that a missing or
    // unreadable store fails before anything listens.
    for (int i = 0; i < o_.threads; ++i) {
      ET_ASSIGN_OR_RETURN(auto store, Store::Open(db_path, OpenMode::kReadOnly));
      ET_RETURN_IF_ERROR(store_internal::Exec(store->handle(), "PRAGMA query_only = 1",
                                              "making the connection read-only"));
      apis_.push_back(std::make_unique<web::Api>(store.get(), &shared_, stop_));
      ET_RETURN_IF_ERROR(apis_.back()->Init());
      stores_.push_back(std::move(store));
    }
    ET_RETURN_IF_ERROR(apis_.front()->WarmUp());
    ET_RETURN_IF_ERROR(Listen());
    std::vector<std::thread> workers;
    for (int i = 0; i < o_.threads; ++i) workers.emplace_back([this, i] { Work(i); });
    if (o_.on_listening) o_.on_listening(port_);
    AcceptLoop();
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers) t.join();
    ::close(listen_fd_);
    for (int fd : queue_) ::close(fd);
    queue_.clear();
    return Status::OK();
  }

 private:
  Status Listen() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* res = nullptr;
    const std::string port = std::to_string(o_.port);
    int rc = ::getaddrinfo(o_.host.c_str(), port.c_str(), &hints, &res);
    if (rc != 0) {
      return Status::InvalidArgument("cannot resolve --host " + o_.host + ": " + gai_strerror(rc));
    }
    std::string err = "no address";
    for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
        listen_fd_ = fd;
        loopback_ = IsLoopback(a->ai_addr);
        break;
      }
      err = std::strerror(errno);
      ::close(fd);
    }
    ::freeaddrinfo(res);
    if (listen_fd_ < 0) {
      return Status::IOError("cannot listen on " + o_.host + ":" + port + ": " + err +
                             " (is the port in use? try --port 0 for any free port)");
    }
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    port_ = ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                     : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    if (loopback_) {
      // A browser page from elsewhere may resolve its own name to 127.0.0.1;
      // answering only our own names keeps the corpus on this machine.
      const std::string p = ":" + std::to_string(port_);
      shared_.allowed_hosts = {"127.0.0.1" + p, "localhost" + p, "[::1]" + p, o_.host + p,
                               "127.0.0.1",     "localhost",     "[::1]",     o_.host};
    } else {
      std::fprintf(stderr,
                   "serve: WARNING: listening on %s, not on loopback: anyone who can reach this "
                   "machine on port %d can read the whole store\n",
                   o_.host.c_str(), port_);
    }
    return Status::OK();
  }

  static bool IsLoopback(const sockaddr* a) {
    if (a->sa_family == AF_INET) {
      uint32_t ip = ntohl(reinterpret_cast<const sockaddr_in*>(a)->sin_addr.s_addr);
      return (ip >> 24) == 127;
    }
    if (a->sa_family == AF_INET6) {
      const in6_addr& ip = reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr;
      return IN6_IS_ADDR_LOOPBACK(&ip);
    }
    return false;
  }

  void AcceptLoop() {
    while (!stop_->load()) {
      pollfd p{listen_fd_, POLLIN, 0};
      int rc = ::poll(&p, 1, 200);  // wakes up to notice the stop flag
      if (rc <= 0) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        // Out of descriptors: the pending connection stays readable, so
        // back off instead of spinning.
        if (errno == EMFILE || errno == ENFILE) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        continue;
      }
      timeval tv{};
      tv.tv_sec = o_.read_timeout_ms / 1000;
      tv.tv_usec = (o_.read_timeout_ms % 1000) * 1000;
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      bool queued = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (queue_.size() < static_cast<size_t>(o_.max_queue)) {
          queue_.push_back(fd);
          queued = true;
        }
      }
      if (queued) {
        cv_.notify_one();
      } else {
        Answer(fd, web::JsonError(503, "the server is busy; try again"), false);
        ::close(fd);
      }
    }
  }

  void Work(int i) {
    while (true) {
      int fd;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return done_ || !queue_.empty(); });
        if (done_) return;
        fd = queue_.front();
        queue_.pop_front();
      }
      Serve(fd, apis_[static_cast<size_t>(i)].get());
      ::close(fd);
    }
  }

  void Serve(int fd, web::Api* api) {
    std::string buf;
    size_t head_len = 0;
    switch (ReadHead(fd, std::chrono::milliseconds(o_.read_timeout_ms), stop_, &buf, &head_len)) {
      case ReadResult::kClosed:
        return;
      case ReadResult::kTimeout:
        Answer(fd, web::JsonError(408, "the request did not arrive in time"), false);
        return;
      case ReadResult::kTooLarge:
        Answer(fd, web::JsonError(431, "request line and headers exceed 16 KiB"), false);
        return;
      case ReadResult::kHead:
        break;
    }
    auto req = web::ParseRequestHead(std::string_view(buf).substr(0, head_len));
    if (!req.ok()) {
      Answer(fd, web::JsonError(400, req.status().message()), false);
      return;
    }
    const auto deadline = Clock::now() + std::chrono::milliseconds(o_.answer_timeout_ms);
    web::HttpResponse r = api->Handle(*req, deadline);
    Answer(fd, r, req->method == "HEAD");
    // Let the client read the answer before the close: a close with unread
    // request bytes would reset the connection and could lose it.
    ::shutdown(fd, SHUT_WR);
    char sink[1024];
    pollfd p{fd, POLLIN, 0};
    for (int k = 0; k < 16 && ::poll(&p, 1, 50) > 0; ++k) {
      if (::recv(fd, sink, sizeof sink, 0) <= 0) break;
    }
  }

  ServeOptions o_;
  const std::atomic<bool>* stop_;
  web::ApiShared shared_;
  std::vector<std::unique_ptr<Store>> stores_;
  std::vector<std::unique_ptr<web::Api>> apis_;
  int listen_fd_ = -1;
  int port_ = 0;
  bool loopback_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> queue_;
  bool done_ = false;
};

}  // namespace

Status Serve(const std::string& db_path, const WebAssets& assets, const ServeOptions& options,
             const std::atomic<bool>* stop) {
  static const std::atomic<bool> kNever{false};
  Server server(options, stop != nullptr ? stop : &kNever);
  return server.Run(db_path, assets);
}

}  // namespace echotrace
