import { connect } from 'node:net'
import { encodeFrame, FrameDecoder, reachableSocketPath } from './socket-frames.ts'

/**
 * An agent's channel to the harness when it was not forked with IPC (it runs in a container):
 * NETSIM_CHANNEL names the harness's unix socket (socket-channel.ts), and this module makes it
 * look like an IPC channel: `process.send`, `process.connected`, the 'message' events and
 * 'disconnect' when the harness goes. The agents (fleet/worker-main.ts, the control plane's
 * agent-main.ts) import it first and need no other change. Without NETSIM_CHANNEL, or with a
 * real IPC channel, it does nothing.
 */
const path = process.env.NETSIM_CHANNEL
if (path !== undefined && path !== '' && process.send === undefined) {
  const socket = connect(reachableSocketPath(path))
  let open = true
  const decoder = new FrameDecoder()
  Object.defineProperty(process, 'connected', { get: () => open, configurable: true })
  // Writes before the connection completes are buffered by the socket itself.
  ;(process as { send?: (msg: unknown) => boolean }).send = (msg) => {
    if (open) socket.write(encodeFrame(msg))
    return true
  }
  socket.on('data', (chunk) => {
    for (const m of decoder.push(chunk)) process.emit('message', m as never, undefined as never)
  })
  const gone = () => {
    if (!open) return
    open = false
    process.emit('disconnect')
  }
  socket.on('close', gone)
  socket.on('error', gone)
}
