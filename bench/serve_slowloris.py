# A bounded slowloris against `echotrace serve` on 127.0.0.1 (issue 17 item 15):
# N connections each send one byte of a never-ending request head per second for
# at most SECONDS, and meanwhile three normal requests are timed. Then it reports
# what each slow connection was answered (429/503 when dropped to make room, 408
# at the head deadline). Loopback only, bounded in count and time.
# Usage: echotrace serve --db STORE --port PORT &  python3 bench/serve_slowloris.py PORT N SECONDS
import socket, sys, threading, time

port, n, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
for s in conns:
    s.setblocking(False)
stop = time.time() + seconds


def trickle():
    head = b"GET /api/meta HTTP/1.1\r\nX-Slow: " + b"a" * 100
    for k in range(len(head)):
        if time.time() >= stop:
            break
        for s in conns:
            try:
                s.send(head[k:k + 1])
            except OSError:
                pass
        time.sleep(1)


t = threading.Thread(target=trickle)
t.start()
time.sleep(1.5)
for i in range(3):
    t0 = time.time()
    c = socket.create_connection(("127.0.0.1", port))
    c.settimeout(90)
    c.sendall(b"GET /api/meta HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while True:
        d = c.recv(65536)
        if not d:
            break
        data += d
    c.close()
    print("normal request %d: %s in %.3f s" % (i, data[:12].decode(), time.time() - t0))
    time.sleep(0.5)
t.join()
answers = {}
for s in conns:
    s.setblocking(True)
    s.settimeout(15)
    try:
        d = s.recv(64)
        a = d[:12].decode() if d else "closed"
    except OSError as e:
        a = type(e).__name__
    answers[a] = answers.get(a, 0) + 1
    s.close()
print("slow connections:", answers)
