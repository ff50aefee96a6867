// Presence topics (docs/protocol.md, "Presence"): who is subscribed to a topic with PRESENCE=true.

/** The prefix of presence topics: `$presence/chat/lobby` is who is in `chat/lobby`. */
export const PRESENCE_PREFIX = '$presence/';

/**
 * The presence topic of a topic: `presenceTopic('chat/lobby')` is `$presence/chat/lobby`.
 * @param {string} path
 */
export function presenceTopic(path) {
  return `${PRESENCE_PREFIX}${path}`;
}
