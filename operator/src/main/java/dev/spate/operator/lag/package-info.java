/**
 * Consumer lag in seconds: how old the oldest record a job has not yet processed is, estimated from
 * the end offsets the operator observes over time.
 */
package dev.spate.operator.lag;
