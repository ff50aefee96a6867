/**
 * How this gateway's topic tree follows the store: {@link io.pushgate.gateway.replication.TopicMirror}
 * applies the store's ordered change stream to the tree (every replica applies the same changes in
 * the same order, its own writes included) and hands each change, a
 * {@link io.pushgate.gateway.replication.TopicUpdate}, to the
 * {@link io.pushgate.gateway.replication.TopicListener}s. Plain Java: it knows the store only
 * through its port and nothing of sessions or transports.
 */
package io.pushgate.gateway.replication;
