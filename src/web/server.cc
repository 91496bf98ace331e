// `echotrace serve`: an HTTP/1.1 server on POSIX sockets for the local UI.
//
// Design, for a tool that shows untrusted corpus data on a workstation:
// one reader thread (the one that called Serve) accepts connections and
// reads every request head that is still arriving, all at once, through
// poll(); only a complete head goes into a bounded queue for a fixed number
// of workers, each with its own read-only store connection. A client that
// sends slowly, or nothing, therefore costs a descriptor and a buffer, never
// a worker (issue 17 item 15: four idle connections used to stall every
// answer for the read timeout). One request per connection; after the
// answer the worker half-closes the socket and hands it back to the reader,
// which drains what the client still sends for a moment and closes it (a
// close with unread bytes would reset the connection and could lose the
// answer).
//
// Every resource a client can make the server spend is bounded: the request
// head (16 KiB, 431), the time to send it (read timeout from the accept,
// 408), open connections per client address (429) and in all (503), the
// heads waiting for a worker (queue bound, 503), the time to answer
// (deadline through SQLite's progress handler, 503), the result sizes
// (limit/k/q, 400). Only the reader thread opens, counts and closes
// connections, so the counts need no lock.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
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
using std::chrono::milliseconds;

// How long a connection is drained after its answer (or an error answer)
// before it is closed, and how many bytes at most are read and dropped.
constexpr milliseconds kDrainTime{500};
constexpr size_t kMaxDrainBytes = 64 * 1024;
// The reader wakes at least this often to notice the stop flag.
constexpr int kTickMs = 200;

// Sends all of `data` on a blocking socket; false when the peer is gone or
// too slow (the socket has a send timeout). Worker threads only.
bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Sends a short error answer without waiting (reader thread): a fresh
// socket's send buffer takes a few hundred bytes at once; a client that
// does not read loses the answer, not the reader's time.
void SendNow(int fd, const web::HttpResponse& r) {
  const std::string bytes = web::SerializeResponse(r, false);
  ssize_t n;
  do {
    n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
}

// The client's address without the port: connections are counted per
// address.
std::string ClientKey(const sockaddr_storage& ss) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (ss.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr, text, sizeof text);
  } else if (ss.ss_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr, text,
                sizeof text);
  }
  return text;
}

// A complete request head on its way to a worker, and back (head emptied)
// once answered.
struct Job {
  int fd = -1;
  std::string client;
  std::string head;
};

// A connection the reader watches: still sending its head, or answered and
// being drained before the close.
struct Conn {
  int fd = -1;
  std::string client;
  std::string buf;
  Clock::time_point deadline;
  bool draining = false;
  size_t drained = 0;
};

enum class Step { kWaiting, kHead, kTooLarge, kClosed };

// Reads what has arrived on `c` without blocking. kHead once the head is
// complete (its length in *head_len).
Step ReadAvailable(Conn* c, size_t* head_len) {
  char chunk[4096];
  while (true) {
    ssize_t n = ::recv(c->fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Step::kWaiting;
    if (n <= 0) return Step::kClosed;
    if (c->draining) {
      c->drained += static_cast<size_t>(n);
      if (c->drained > kMaxDrainBytes) return Step::kClosed;
      continue;
    }
    // Only the new bytes (and three before them) can complete the blank line.
    size_t from = c->buf.size() >= 3 ? c->buf.size() - 3 : 0;
    c->buf.append(chunk, static_cast<size_t>(n));
    size_t end = web::FindHeadEnd(std::string_view(c->buf).substr(from));
    if (end != 0) {
      *head_len = from + end;
      return *head_len <= web::kMaxRequestHead ? Step::kHead : Step::kTooLarge;
    }
    if (c->buf.size() > web::kMaxRequestHead) return Step::kTooLarge;
  }
}

class Server {
 public:
  Server(const ServeOptions& o, const std::atomic<bool>* stop) : o_(o), stop_(stop) {}

  Status Run(const std::string& db_path, const WebAssets& assets) {
    ET_RETURN_IF_ERROR(CheckOptions());
    shared_.assets = assets;
    shared_.store_path = db_path;
    // One read-only connection per worker, opened now so that a missing or
    // unreadable store fails before anything listens.
    for (int i = 0; i < o_.threads; ++i) {
      ET_ASSIGN_OR_RETURN(auto store, Store::Open(db_path, OpenMode::kReadOnly));
      ET_RETURN_IF_ERROR(store_internal::Exec(store_internal::Handle(store),
                                              "PRAGMA query_only = 1",
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
    ReadLoop();
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers) t.join();
    ::close(listen_fd_);
    for (const Job& j : queue_) ::close(j.fd);
    for (const Job& j : returned_) ::close(j.fd);
    for (const Conn& c : conns_) ::close(c.fd);
    return Status::OK();
  }

 private:
  Status CheckOptions() const {
    if (o_.threads < 1 || o_.threads > 64) {
      return Status::InvalidArgument("--threads must be from 1 to 64");
    }
    if (o_.port < 0 || o_.port > 65535) return Status::InvalidArgument("--port must be 0..65535");
    if (o_.max_connections < 1 || o_.max_connections_per_client < 1 || o_.max_queue < 1) {
      return Status::InvalidArgument(
          "max_connections, max_connections_per_client and max_queue must be at least 1");
    }
    return Status::OK();
  }

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
      // Non-blocking: the reader accepts until EAGAIN.
      int fd =
          ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
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
      // Appended, not ":" + to_string(): GCC 12 at -O3 reports a bogus
      // -Wrestrict for a literal + std::string&& (GCC bug 105329).
      std::string p = ":";
      p += std::to_string(port_);
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

  // The reader: one poll() over the listening socket and every connection
  // that is still sending its head or being drained, until *stop_.
  void ReadLoop() {
    std::vector<pollfd> fds;
    Clock::time_point accept_paused_until{};
    while (!stop_->load()) {
      TakeReturned();
      const auto now = Clock::now();
      const bool accepting = now >= accept_paused_until;
      fds.clear();
      fds.push_back({accepting ? listen_fd_ : -1, POLLIN, 0});  // fd -1: ignored by poll
      int wait_ms = kTickMs;
      for (const Conn& c : conns_) {
        fds.push_back({c.fd, POLLIN, 0});
        auto left = std::chrono::duration_cast<milliseconds>(c.deadline - now).count();
        wait_ms = static_cast<int>(std::clamp<int64_t>(left + 1, 0, wait_ms));
      }
      int rc = ::poll(fds.data(), fds.size(), wait_ms);
      if (rc < 0 && errno != EINTR) {
        std::this_thread::sleep_for(milliseconds(10));
        continue;
      }
      Advance(fds);
      if (accepting && (fds[0].revents & POLLIN) != 0 && !AcceptAll()) {
        // Out of descriptors: the pending connection stays readable, so
        // stop watching the socket for a moment instead of spinning.
        accept_paused_until = Clock::now() + milliseconds(100);
      }
    }
  }

  // Reads what arrived on each watched connection (fds[i + 1] is conns_[i]),
  // hands complete heads to the workers, answers and closes the rest that
  // are finished or out of time.
  void Advance(const std::vector<pollfd>& fds) {
    const auto now = Clock::now();
    size_t keep = 0;
    for (size_t i = 0; i < conns_.size(); ++i) {
      Conn& c = conns_[i];
      size_t head_len = 0;
      Step step = fds[i + 1].revents != 0 ? ReadAvailable(&c, &head_len) : Step::kWaiting;
      if (step == Step::kWaiting && now >= c.deadline) {
        if (c.draining) {
          step = Step::kClosed;
        } else {
          Refuse(&c, web::JsonError(408, "the request did not arrive in time"));
        }
      }
      if (step == Step::kHead) step = Dispatch(&c, head_len);
      if (step == Step::kTooLarge) {
        Refuse(&c, web::JsonError(431, "request line and headers exceed 16 KiB"));
      } else if (step == Step::kClosed) {
        Close(c);
      }
      if (step == Step::kWaiting || step == Step::kTooLarge) {
        if (keep != i) conns_[keep] = std::move(c);
        ++keep;
      }
    }
    conns_.resize(keep);
  }

  // Queues the head of `c` for a worker (kClosed: the worker owns it now),
  // or answers 503 when the queue is full (kWaiting: now draining).
  Step Dispatch(Conn* c, size_t head_len) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (queue_.size() < static_cast<size_t>(o_.max_queue)) {
        c->buf.resize(head_len);
        queue_.push_back(Job{c->fd, std::move(c->client), std::move(c->buf)});
        c->fd = -1;
      }
    }
    if (c->fd < 0) {
      cv_.notify_one();
      return Step::kClosed;
    }
    Refuse(c, web::JsonError(503, "the server is busy; try again"));
    return Step::kWaiting;
  }

  // Answers `c` with an error and drains it until the close.
  void Refuse(Conn* c, const web::HttpResponse& r) {
    SendNow(c->fd, r);
    StartDrain(c);
  }

  static void StartDrain(Conn* c) {
    ::shutdown(c->fd, SHUT_WR);
    c->draining = true;
    c->buf.clear();
    c->buf.shrink_to_fit();
    c->deadline = Clock::now() + kDrainTime;
  }

  // Closes a watched connection (fd -1: handed to a worker) and gives its
  // place back to the caps.
  void Close(const Conn& c) {
    if (c.fd < 0) return;
    ::close(c.fd);
    Release(c.client);
  }

  void Release(const std::string& client) {
    --open_;
    auto it = per_client_.find(client);
    if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
  }

  // Accepts every waiting connection; false when out of descriptors.
  bool AcceptAll() {
    while (true) {
      sockaddr_storage ss{};
      socklen_t len = sizeof ss;
      int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return errno != EMFILE && errno != ENFILE && errno != ENOBUFS && errno != ENOMEM;
      }
      Admit(fd, ClientKey(ss));
    }
  }

  // Watches a new connection. At a cap (max_connections in all: 503;
  // max_connections_per_client from this address: 429) the oldest
  // connection still sending its head (from this address, for the second)
  // makes room: it gets that answer and is closed. A normal request sends
  // its head in milliseconds, so under a flood of slow connections it is
  // the slow ones that go; only when every place is held by a request
  // already read is the new connection itself refused.
  void Admit(int fd, std::string client) {
    int status = 0;
    if (open_ >= o_.max_connections && !Evict(nullptr, 503)) {
      status = 503;
    } else if (per_client_[client] >= o_.max_connections_per_client && !Evict(&client, 429)) {
      status = 429;
    }
    if (status != 0) {
      SendNow(fd, RefusalFor(status));
      char sink[4096];
      (void)::recv(fd, sink, sizeof sink, MSG_DONTWAIT);  // a close with unread bytes resets
      ::close(fd);
      if (per_client_[client] == 0) per_client_.erase(client);
      return;
    }
    // Workers send with a timeout: a client that does not read its answer
    // holds a worker at most this long.
    timeval tv{};
    tv.tv_sec = o_.read_timeout_ms / 1000;
    tv.tv_usec = (o_.read_timeout_ms % 1000) * 1000;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ++open_;
    ++per_client_[client];
    Conn c;
    c.fd = fd;
    c.client = std::move(client);
    c.deadline = Clock::now() + milliseconds(o_.read_timeout_ms);
    conns_.push_back(std::move(c));
  }

  static web::HttpResponse RefusalFor(int status) {
    return web::JsonError(status, status == 503
                                      ? "the server has too many open connections; try again"
                                      : "too many open connections from your address; close "
                                        "some and try again");
  }

  // Answers `status` to the oldest connection still sending its head (from
  // `*client` when given) and closes it; false when there is none.
  bool Evict(const std::string* client, int status) {
    auto it = std::find_if(conns_.begin(), conns_.end(), [client](const Conn& c) {
      return !c.draining && (client == nullptr || c.client == *client);
    });
    if (it == conns_.end()) return false;
    SendNow(it->fd, RefusalFor(status));
    Close(*it);
    conns_.erase(it);
    return true;
  }

  // Connections the workers have answered come back to be drained.
  void TakeReturned() {
    std::vector<Job> back;
    {
      std::lock_guard<std::mutex> lock(mu_);
      back.swap(returned_);
    }
    for (Job& j : back) {
      Conn c;
      c.fd = j.fd;
      c.client = std::move(j.client);
      c.draining = true;
      c.deadline = Clock::now() + kDrainTime;
      conns_.push_back(std::move(c));
    }
  }

  void Work(int i) {
    while (true) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return done_ || !queue_.empty(); });
        if (done_) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      Answer(job, apis_[static_cast<size_t>(i)].get());
      // The client reads the answer up to our FIN; the reader drains and
      // closes.
      ::shutdown(job.fd, SHUT_WR);
      job.head.clear();
      std::lock_guard<std::mutex> lock(mu_);
      returned_.push_back(std::move(job));
    }
  }

  void Answer(const Job& job, web::Api* api) {
    auto req = web::ParseRequestHead(job.head);
    if (!req.ok()) {
      SendAll(job.fd, web::SerializeResponse(web::JsonError(400, req.status().message()), false));
      return;
    }
    const auto deadline = Clock::now() + milliseconds(o_.answer_timeout_ms);
    web::HttpResponse r = api->Handle(*req, deadline);
    SendAll(job.fd, web::SerializeResponse(r, req->method == "HEAD"));
  }

  ServeOptions o_;
  const std::atomic<bool>* stop_;
  web::ApiShared shared_;
  std::vector<std::unique_ptr<Store>> stores_;
  std::vector<std::unique_ptr<web::Api>> apis_;
  int listen_fd_ = -1;
  int port_ = 0;
  bool loopback_ = false;
  // Reader thread only.
  std::vector<Conn> conns_;
  int open_ = 0;  // connections accepted and not yet closed
  std::map<std::string, int> per_client_;
  // Shared with the workers.
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  std::vector<Job> returned_;
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
