import { FieldNames } from '../io/plain-binary';

/**
 * The field names of changelog values in format 3, each written as its
 * position here (src/io/plain-binary.ts, NAMED_OBJECT): the names the state
 * codecs, the enforcer and the clock use, most frequent first so that the
 * common ones take one byte, then every detector and rule name.
 *
 * APPEND ONLY. Records already in a changelog refer to these by position:
 * reordering or removing one would restore state under the wrong names. A
 * name missing from the list still works (it is written as text); the
 * changelog-names test lists any that the simulated traffic writes, to be
 * appended at the end.
 */
export const CHANGELOG_FIELD_NAMES = new FieldNames([
  'windowStart', 'fired', 'count', 'v', 's', 't', 'capacity', 'next', 'times', 'ids', 'recent', 'values', 'messages',
  'accounts', 'evidence', 'calls', 'gaps', 'recipients', 'cap', 'oldest', 'counters', 'counter',
  'excessive_volume_contact_flood', 'callees', 'ended', 'matched', 'runCountedIn', 'windows', 'items', 'whenFull',
  'activity', 'api', 'automated_origination', 'calls_per_day', 'calls_per_hour', 'calls_per_minute',
  'excessive_volume', 'hours', 'income_generation', 'lastMessageId', 'messages_per_day', 'messages_per_hour',
  'messages_per_minute', 'minute', 'minuteCount', 'rate', 'reportedUntil', 'samples', 'shortCalls', 'slots',
  'spacing', 'bulk_messaging', 'contacted', 'fanout', 'reports', 'tables', 'bits', 'campaignEvidence', 'candidates',
  'contents', 'personal_data', 'previousEstimate', 'previousStart', 'same_content_recipients', 'sizeMs',
  'template_campaign_recipients', 'templates', 'excessive_volume_device', 'impersonation', 'closedMs', 'concurrent',
  'connection_time', 'daily', 'endedEvidence', 'longCall', 'number_harvesting', 'open', 'ranges', 'recentlyEnded',
  'short', 'unanswered', 'wakeAt', 'walk', 'device_messages_per_day', 'device_messages_per_hour',
  'device_messages_per_minute', 'rangeEvidence', 'device_calls_per_day', 'device_calls_per_hour',
  'device_calls_per_minute', 'counts', 'excessive_volume_few_numbers', 'top', 'content', 'lastSent', 'accountId',
  'deviceId', 'eventIds', 'failures', 'flagged', 'kept', 'verified', 'crossed', 'devices', 'members',
  'answerEventId', 'answeredAt', 'callId', 'longChecked', 'fraudulent_registration_device',
  'registration_verification_failures', 'registrations_per_device', 'presentedIds', 'lastPublishedAt', 'lastStep',
  'failed_number_registration', 'fraudulent_registration_number', 'fraudulent_registration_ip',
  'registrations_per_ip', 'reporters', 'number', 'numbers', 'repeatCalls', 'connected', 'connectedMs', 'unattested',
  'lastBusyMinute', 'reportedWindow', 'runEvents', 'runMinutes', 'runStart', 'low', 'streamTime', 'runs', 'start',
  'card_number_shared', 'credential_shared', 'national_id_shared', 'failedAttempts', 'accountsPerDevice',
  'verifiedShare', 'calls_to_one_number', 'messages_to_one_number', 'calls_to_few_numbers', 'long_call',
  'concurrent_calls', 'daily_connected_time', 'sustained_origination_rate', 'regular_interarrival',
  'no_diurnal_rest', 'short_answered_calls', 'api_originations_per_hour', 'new_recipient_fanout',
  'message_spam_reports', 'sequential_dialling', 'unanswered_sweep', 'short_call_sweep', 'high_risk_repeat_calls',
  'high_risk_connected_minutes', 'high_risk_messages', 'new_range_surge', 'caller_id_rotation', 'unattested_calls',
  'impersonation_reports',
  // Appended with the contact flood's per-account slots.
  'evidenceSlots', 'evidenceIds',
  // Appended with automated_origination's cadence holding its kind's latest time (state version 3).
  'last',
]);
