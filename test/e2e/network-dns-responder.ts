// A tiny UDP DNS server for the proxy e2e: answers every A question with 10.1.2.3. Started inside a pod's
// network namespace (nsenter --net=/proc/PID/ns/net bun this-file PORT); prints "ready" once listening.
import dnsPacket from 'dns-packet'

const port = Number(process.argv[2] ?? 5353)
await Bun.udpSocket({
  port,
  hostname: '0.0.0.0',
  socket: {
    data(sock, buf, rport, raddr) {
      const q = dnsPacket.decode(Buffer.from(buf))
      const answers = (q.questions ?? [])
        .filter((x) => x.type === 'A')
        .map((x) => ({ type: 'A' as const, name: x.name, ttl: 5, data: '10.1.2.3' }))
      sock.send(
        dnsPacket.encode({
          id: q.id,
          type: 'response',
          flags: dnsPacket.RECURSION_DESIRED,
          questions: q.questions,
          answers,
        }),
        rport,
        raddr,
      )
    },
  },
})
console.log('ready')
