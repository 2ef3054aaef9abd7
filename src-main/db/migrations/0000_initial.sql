CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` integer,
	`user_email` text,
	`method` text NOT NULL,
	`entity` text,
	`entity_id` text,
	`site_id` integer,
	`input` text,
	`before` text,
	`after` text,
	`outcome` text DEFAULT 'ok' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_method_idx` ON `audit_log` (`method`);--> statement-breakpoint
CREATE TABLE `auth_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `auth_sessions_token_unique` ON `auth_sessions` (`token_hash`);--> statement-breakpoint
CREATE TABLE `connectors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`station_id` integer NOT NULL,
	`connector_number` integer NOT NULL,
	`name` text,
	`type` text,
	`max_current_a` real,
	`status` text DEFAULT 'Unknown' NOT NULL,
	`error_code` text,
	`vendor_error_code` text,
	`info` text,
	`status_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connectors_station_number_unique` ON `connectors` (`station_id`,`connector_number`);--> statement-breakpoint
CREATE TABLE `floors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`name` text NOT NULL,
	`level` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `floors_site_name_unique` ON `floors` (`site_id`,`name`);--> statement-breakpoint
CREATE TABLE `login_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_failures_key_idx` ON `login_failures` (`key`,`at`);--> statement-breakpoint
CREATE TABLE `organisation` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`abn` text,
	`email` text,
	`phone` text,
	`address` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`strata_plan` text,
	`address` text,
	`time_zone` text NOT NULL,
	`latitude` real,
	`longitude` real,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sites_name_unique` ON `sites` (`name`);--> statement-breakpoint
CREATE TABLE `stations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`floor_id` integer,
	`identity` text NOT NULL,
	`name` text NOT NULL,
	`max_current_a` real DEFAULT 32 NOT NULL,
	`phases` text DEFAULT 'three' NOT NULL,
	`rotation` text,
	`approved` integer DEFAULT true NOT NULL,
	`blocked` integer DEFAULT false NOT NULL,
	`security_profile` integer DEFAULT 0 NOT NULL,
	`password_hash` text,
	`vendor` text,
	`model` text,
	`serial_number` text,
	`firmware_version` text,
	`iccid` text,
	`imsi` text,
	`meter_type` text,
	`meter_serial_number` text,
	`ocpp_version` text,
	`last_boot_at` integer,
	`last_seen_at` integer,
	`last_heartbeat_at` integer,
	`last_ip` text,
	`plan_x` real,
	`plan_y` real,
	`bay_label` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`floor_id`) REFERENCES `floors`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stations_identity_unique` ON `stations` (`identity`);--> statement-breakpoint
CREATE INDEX `stations_site_idx` ON `stations` (`site_id`);--> statement-breakpoint
CREATE INDEX `stations_floor_idx` ON `stations` (`floor_id`);--> statement-breakpoint
CREATE TABLE `user_sites` (
	`user_id` integer NOT NULL,
	`site_id` integer NOT NULL,
	PRIMARY KEY(`user_id`, `site_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`must_change_password` integer DEFAULT false NOT NULL,
	`last_login_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `diagnostics_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`station_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`stored_path` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `diagnostics_files_station_idx` ON `diagnostics_files` (`station_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `id_tags` (
	`id_tag` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'Accepted' NOT NULL,
	`expiry_date` integer,
	`parent_id_tag` text,
	`label` text,
	`user_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `meter_values` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`station_id` integer,
	`transaction_id` integer,
	`connector_number` integer NOT NULL,
	`timestamp` integer NOT NULL,
	`sampled_values` text NOT NULL,
	`energy_wh` integer,
	`power_w` real,
	`current_l1_a` real,
	`current_l2_a` real,
	`current_l3_a` real,
	`soc_percent` real,
	`dedupe_key` text NOT NULL,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meter_values_dedupe_unique` ON `meter_values` (`timestamp`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `meter_values_tx_idx` ON `meter_values` (`transaction_id`,`timestamp`) WHERE "meter_values"."transaction_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `ocpp_attempts` (
	`identity` text PRIMARY KEY NOT NULL,
	`ip` text,
	`count` integer DEFAULT 1 NOT NULL,
	`reason` text NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ocpp_file_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`station_id` integer NOT NULL,
	`stored_path` text,
	`file_name` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `ocpp_reservations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`station_id` integer NOT NULL,
	`connector_number` integer NOT NULL,
	`id_tag` text NOT NULL,
	`expires_at` integer NOT NULL,
	`status` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ocpp_reservations_station_idx` ON `ocpp_reservations` (`station_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `station_config` (
	`station_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text,
	`readonly` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`station_id`, `key`),
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `station_ocpp` (
	`station_id` integer PRIMARY KEY NOT NULL,
	`status` text,
	`error_code` text,
	`vendor_error_code` text,
	`info` text,
	`status_at` integer,
	`firmware_status` text,
	`firmware_status_at` integer,
	`diagnostics_status` text,
	`diagnostics_status_at` integer,
	`boot_status` text,
	`local_list_version` integer,
	`config_fetched_at` integer,
	`unknown_config_keys` text,
	`setup_refused` text,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `transactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`station_id` integer,
	`identity` text NOT NULL,
	`connector_number` integer NOT NULL,
	`id_tag` text NOT NULL,
	`charger_transaction_id` integer,
	`start_key` text,
	`status` text NOT NULL,
	`flag` text,
	`flag_reason` text,
	`started_at` integer NOT NULL,
	`stopped_at` integer,
	`meter_start_wh` integer NOT NULL,
	`meter_stop_wh` integer,
	`meter_last_wh` integer,
	`power_w` real,
	`stop_reason` text,
	`stop_id_tag` text,
	`reservation_id` integer,
	`last_message_at` integer NOT NULL,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transactions_start_key_unique` ON `transactions` (`start_key`);--> statement-breakpoint
CREATE INDEX `transactions_station_idx` ON `transactions` (`station_id`,`status`);--> statement-breakpoint
CREATE INDEX `transactions_started_idx` ON `transactions` (`started_at`,`station_id`,`connector_number`,`status`,`meter_start_wh`,`meter_stop_wh`,`stopped_at`,`id_tag`);--> statement-breakpoint
CREATE INDEX `transactions_station_started_idx` ON `transactions` (`station_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `transactions_id_tag_idx` ON `transactions` (`id_tag`,`status`);--> statement-breakpoint
CREATE INDEX `transactions_outlet_report_idx` ON `transactions` (`station_id`,`connector_number`,`started_at`,`status`,`meter_start_wh`,`meter_stop_wh`,`stopped_at`);--> statement-breakpoint
CREATE INDEX `transactions_stopped_key_idx` ON `transactions` ((CASE WHEN "stopped_at" IS NULL THEN 8640000000000000 ELSE "stopped_at" END));--> statement-breakpoint
CREATE INDEX `transactions_duration_key_idx` ON `transactions` ((CASE WHEN "stopped_at" IS NULL THEN -1 ELSE "stopped_at" - "started_at" END));--> statement-breakpoint
CREATE INDEX `transactions_energy_key_idx` ON `transactions` ((CASE WHEN "meter_stop_wh" IS NULL THEN -1 ELSE "meter_stop_wh" - "meter_start_wh" END));--> statement-breakpoint
CREATE INDEX `transactions_power_key_idx` ON `transactions` ((CASE WHEN "meter_stop_wh" IS NULL OR "stopped_at" <= "started_at" THEN -1 ELSE ("meter_stop_wh" - "meter_start_wh") * 3600000.0 / ("stopped_at" - "started_at") END));--> statement-breakpoint
CREATE INDEX `transactions_unrolled_idx` ON `transactions` (`started_at`) WHERE "transactions"."status" = 'active' OR "transactions"."stopped_at" IS NULL;--> statement-breakpoint
CREATE INDEX `transactions_active_idx` ON `transactions` (`last_message_at`) WHERE "transactions"."status" = 'active';--> statement-breakpoint
CREATE TABLE `scheduled_jobs` (
	`name` text PRIMARY KEY NOT NULL,
	`schedule` text NOT NULL,
	`next_run_at` integer NOT NULL,
	`last_slot_at` integer,
	`last_started_at` integer,
	`last_finished_at` integer,
	`last_error` text
);
--> statement-breakpoint
CREATE TABLE `mail_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbox_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`content` blob NOT NULL,
	FOREIGN KEY (`outbox_id`) REFERENCES `mail_outbox`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mail_attachments_outbox` ON `mail_attachments` (`outbox_id`);--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`kind` text NOT NULL,
	`recipients` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_attempt_at` integer,
	`last_error` text,
	`server_answer` text,
	`sent_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_due` ON `mail_outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`lot_number` text NOT NULL,
	`unit_number` text,
	`owner_names` text NOT NULL,
	`postal_address` text,
	`invoice_emails` text DEFAULT '[]' NOT NULL,
	`account_code` text,
	`bpay_reference` text,
	`deft_reference` text,
	`stratapay_reference` text,
	`notes` text,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `accounts_lot_idx` ON `accounts` (`site_id`,`lot_number`,`opened_at`);--> statement-breakpoint
CREATE TABLE `bays` (
	`connector_id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`account_id` integer,
	`label` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`connector_id`) REFERENCES `connectors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `cards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`id_tag` text NOT NULL,
	`printed` text,
	`label` text,
	`account_id` integer NOT NULL,
	`resident_id` integer,
	`status` text NOT NULL,
	`expires_at` integer,
	`replaced_by_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`resident_id`) REFERENCES `residents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cards_site_tag_unique` ON `cards` (`site_id`,`id_tag`);--> statement-breakpoint
CREATE INDEX `cards_account_idx` ON `cards` (`account_id`);--> statement-breakpoint
CREATE TABLE `local_list_snapshots` (
	`station_id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`entries` text NOT NULL,
	`synced_at` integer,
	`result` text,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `residents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`email` text,
	`phone` text,
	`user_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `residents_account_idx` ON `residents` (`account_id`);--> statement-breakpoint
CREATE INDEX `residents_user_idx` ON `residents` (`user_id`);--> statement-breakpoint
CREATE TABLE `session_accounts` (
	`transaction_id` integer PRIMARY KEY NOT NULL,
	`account_id` integer,
	`card_id` integer,
	`via` text NOT NULL,
	`free` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`transaction_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `session_accounts_account_idx` ON `session_accounts` (`account_id`);--> statement-breakpoint
CREATE TABLE `site_card_settings` (
	`site_id` integer PRIMARY KEY NOT NULL,
	`form` text,
	`learn_until` integer,
	`learn_printed` text,
	`learnt_id_tag` text,
	`learnt_at` integer,
	`learnt_station_id` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `unknown_cards` (
	`site_id` integer NOT NULL,
	`id_tag` text NOT NULL,
	`station_id` integer,
	`count` integer DEFAULT 1 NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `id_tag`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `unknown_cards_last` ON `unknown_cards` (`last_at`);--> statement-breakpoint
CREATE TABLE `floor_plans` (
	`floor_id` integer PRIMARY KEY NOT NULL,
	`mime` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`file_name` text NOT NULL,
	`data` blob NOT NULL,
	`size_bytes` integer NOT NULL,
	`uploaded_at` integer NOT NULL,
	`uploaded_by` integer,
	FOREIGN KEY (`floor_id`) REFERENCES `floors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `balancing_account_policies` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`priority` text NOT NULL,
	`cap_a` real,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `balancing_chargers` (
	`station_id` integer PRIMARY KEY NOT NULL,
	`unit` text NOT NULL,
	`max_stack_level` integer NOT NULL,
	`fallback_a` real,
	`fallback_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `balancing_circuits` (
	`site_id` integer NOT NULL,
	`circuit_id` text NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`limit_a` real NOT NULL,
	`phases` text NOT NULL,
	`assumed_other_load_a` real NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`site_id`, `circuit_id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `balancing_history` (
	`site_id` integer NOT NULL,
	`node_id` text NOT NULL,
	`minute` integer NOT NULL,
	`phase` text NOT NULL,
	`limit_a` real NOT NULL,
	`current_a` real NOT NULL,
	`allowed_a` real NOT NULL,
	PRIMARY KEY(`site_id`, `node_id`, `minute`, `phase`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `balancing_history_minute_idx` ON `balancing_history` (`minute`);--> statement-breakpoint
CREATE TABLE `balancing_ledger` (
	`station_id` integer NOT NULL,
	`connector_number` integer NOT NULL,
	`transaction_id` integer,
	`confirmed_a` real NOT NULL,
	`in_flight_a` real,
	`uncontrolled` integer DEFAULT false NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`station_id`, `connector_number`),
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `balancing_load_sources` (
	`site_id` integer NOT NULL,
	`target` text NOT NULL,
	`kind` text NOT NULL,
	`typed_l1` real,
	`typed_l2` real,
	`typed_l3` real,
	`modbus_host` text,
	`modbus_port` integer,
	`modbus_unit_id` integer,
	`modbus_model` text,
	`modbus_map` text,
	`poll_seconds` integer,
	`timeout_seconds` integer,
	PRIMARY KEY(`site_id`, `target`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `balancing_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`at` integer NOT NULL,
	`station_id` integer NOT NULL,
	`connector_number` integer NOT NULL,
	`from_a` real,
	`to_a` real NOT NULL,
	`action` text NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `balancing_log_site_at_idx` ON `balancing_log` (`site_id`,`at`);--> statement-breakpoint
CREATE TABLE `balancing_register_maps` (
	`site_id` integer NOT NULL,
	`label` text NOT NULL,
	`map` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`site_id`, `label`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `balancing_sites` (
	`site_id` integer PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`phase_limit_a` real NOT NULL,
	`nominal_voltage_v` real NOT NULL,
	`phases` integer NOT NULL,
	`usable_percent` real NOT NULL,
	`reserve_a` real NOT NULL,
	`assumed_other_load_a` real NOT NULL,
	`min_current_a` real NOT NULL,
	`rotation_period_s` integer NOT NULL,
	`hysteresis_a` real NOT NULL,
	`draw_margin_a` real NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `balancing_stations` (
	`station_id` integer PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`circuit_id` text NOT NULL,
	`priority` text NOT NULL,
	`cap_a` real,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `session_occupancy` (
	`transaction_id` integer PRIMARY KEY NOT NULL,
	`charging_ended_at` integer,
	`vacated_at` integer,
	`idle_ms` integer,
	FOREIGN KEY (`transaction_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_occupancy_idle_idx` ON `session_occupancy` (`idle_ms`);--> statement-breakpoint
CREATE TABLE `session_review_state` (
	`transaction_id` integer PRIMARY KEY NOT NULL,
	`review_id` integer NOT NULL,
	`action` text NOT NULL,
	`flag` text,
	`flag_reason` text,
	`excluded` integer NOT NULL,
	`meter_stop_wh` integer,
	`stopped_at` integer,
	`account_id` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`transaction_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`review_id`) REFERENCES `session_reviews`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `session_review_state_account_idx` ON `session_review_state` (`account_id`);--> statement-breakpoint
CREATE TABLE `session_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`transaction_id` integer NOT NULL,
	`action` text NOT NULL,
	`reason` text NOT NULL,
	`flag` text,
	`flag_reason` text,
	`excluded` integer NOT NULL,
	`meter_stop_wh` integer,
	`stopped_at` integer,
	`sample_id` integer,
	`account_id` integer,
	`user_id` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`transaction_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `session_reviews_tx_idx` ON `session_reviews` (`transaction_id`,`id`);--> statement-breakpoint
CREATE TABLE `alarm_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alarm_id` integer NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`site_id` integer,
	`station_id` integer,
	`title` text NOT NULL,
	`detail` text,
	`user_id` integer,
	`user_name` text
);
--> statement-breakpoint
CREATE INDEX `alarm_events_at` ON `alarm_events` (`at`,`id`);--> statement-breakpoint
CREATE INDEX `alarm_events_site` ON `alarm_events` (`site_id`,`at`);--> statement-breakpoint
CREATE INDEX `alarm_events_alarm` ON `alarm_events` (`alarm_id`);--> statement-breakpoint
CREATE TABLE `alarm_prefs` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`email_severities` text NOT NULL,
	`site_ids` text,
	`quiet_from` text,
	`quiet_to` text,
	`digest` integer NOT NULL,
	`digest_at` text NOT NULL,
	`popup_severities` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alarm_rules` (
	`rule` text PRIMARY KEY NOT NULL,
	`severity` text NOT NULL,
	`delay_seconds` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alarms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`fold_key` text NOT NULL,
	`site_id` integer,
	`station_id` integer,
	`connector_number` integer,
	`title` text NOT NULL,
	`detail` text,
	`count` integer DEFAULT 1 NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	`state` text NOT NULL,
	`acknowledged_at` integer,
	`acknowledged_by` integer,
	`acknowledged_by_name` text,
	`cleared_at` integer,
	`cleared_by` integer,
	`cleared_by_name` text,
	`clear_reason` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alarms_active_key` ON `alarms` (`fold_key`) WHERE state = 'active';--> statement-breakpoint
CREATE INDEX `alarms_state_last` ON `alarms` (`state`,`last_at`,`id`);--> statement-breakpoint
CREATE INDEX `alarms_site` ON `alarms` (`site_id`,`state`);--> statement-breakpoint
CREATE INDEX `alarms_station` ON `alarms` (`station_id`,`state`);--> statement-breakpoint
CREATE TABLE `billing_logos` (
	`sha` text PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`content` blob NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `billing_settings` (
	`site_id` integer PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`logo_sha` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `invoice_run_drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`period_label` text NOT NULL,
	`prepared_at` integer NOT NULL,
	`slot_at` integer NOT NULL,
	`accounts` integer NOT NULL,
	`held` integer NOT NULL,
	`ex_gst_cents` integer NOT NULL,
	`gst_cents` integer NOT NULL,
	`inc_gst_cents` integer NOT NULL,
	`notified` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_run_drafts_period` ON `invoice_run_drafts` (`site_id`,`period_start`);--> statement-breakpoint
CREATE TABLE `invoice_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`period_start_ms` integer NOT NULL,
	`period_end_ms` integer NOT NULL,
	`held` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`issued_by` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_runs_period` ON `invoice_runs` (`site_id`,`period_start`);--> statement-breakpoint
CREATE TABLE `invoice_sequences` (
	`issuer_key` text PRIMARY KEY NOT NULL,
	`last_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `invoice_sessions` (
	`invoice_id` integer NOT NULL,
	`transaction_id` integer NOT NULL,
	`live` integer,
	PRIMARY KEY(`invoice_id`, `transaction_id`),
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`transaction_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_sessions_live` ON `invoice_sessions` (`transaction_id`) WHERE "invoice_sessions"."live" = 1;--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`site_id` integer NOT NULL,
	`account_id` integer NOT NULL,
	`kind` text NOT NULL,
	`issuer_key` text NOT NULL,
	`seq` integer NOT NULL,
	`number` text NOT NULL,
	`status` text NOT NULL,
	`issued_at` integer NOT NULL,
	`ex_gst_cents` integer NOT NULL,
	`gst_cents` integer NOT NULL,
	`inc_gst_cents` integer NOT NULL,
	`document` text NOT NULL,
	`credits_invoice_id` integer,
	`reissued_as_id` integer,
	`void_reason` text,
	`sent_at` integer,
	`sent_to` text,
	`mail_outbox_id` integer,
	`paid_at` integer,
	`paid_reference` text,
	FOREIGN KEY (`run_id`) REFERENCES `invoice_runs`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_issuer_seq` ON `invoices` (`issuer_key`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_site_number` ON `invoices` (`site_id`,`number`);--> statement-breakpoint
CREATE INDEX `invoices_site_idx` ON `invoices` (`site_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `invoices_run_idx` ON `invoices` (`run_id`);--> statement-breakpoint
CREATE INDEX `invoices_account_idx` ON `invoices` (`account_id`);--> statement-breakpoint
CREATE TABLE `site_holidays` (
	`site_id` integer NOT NULL,
	`date` text NOT NULL,
	`name` text NOT NULL,
	PRIMARY KEY(`site_id`, `date`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tariff_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`target` text NOT NULL,
	`target_id` integer NOT NULL,
	`tariff_id` integer,
	`effective_from` text,
	`effective_from_ms` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tariff_assign_unique` ON `tariff_assignments` (`target`,`target_id`,`effective_from`);--> statement-breakpoint
CREATE INDEX `tariff_assign_site` ON `tariff_assignments` (`site_id`);--> statement-breakpoint
CREATE TABLE `tariff_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tariff_id` integer NOT NULL,
	`effective_from` text NOT NULL,
	`effective_from_ms` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tariff_versions_unique` ON `tariff_versions` (`tariff_id`,`effective_from`);--> statement-breakpoint
CREATE TABLE `tariffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tariffs_site_idx` ON `tariffs` (`site_id`);--> statement-breakpoint
CREATE TABLE `user_preferences` (
	`user_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `key`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `billing_export_profiles` (
	`site_id` integer NOT NULL,
	`key` text NOT NULL,
	`profile` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` integer,
	PRIMARY KEY(`site_id`, `key`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `session_rollup_card_month` (
	`site_id` integer NOT NULL,
	`month` text NOT NULL,
	`account_id` integer NOT NULL,
	`card_id` integer NOT NULL,
	`id_tag` text NOT NULL,
	`sessions` integer NOT NULL,
	`energy_wh` integer NOT NULL,
	PRIMARY KEY(`site_id`, `month`, `account_id`, `card_id`, `id_tag`)
);
--> statement-breakpoint
CREATE TABLE `session_rollup_hour` (
	`site_id` integer NOT NULL,
	`day` integer NOT NULL,
	`hour` integer NOT NULL,
	`sessions` integer NOT NULL,
	`energy_wh` integer NOT NULL,
	PRIMARY KEY(`site_id`, `day`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `session_rollup_outlet_day` (
	`station_id` integer NOT NULL,
	`connector_number` integer NOT NULL,
	`day` integer NOT NULL,
	`sessions` integer NOT NULL,
	`energy_wh` integer NOT NULL,
	`occupied_ms` integer NOT NULL,
	`last_stop` integer NOT NULL,
	PRIMARY KEY(`station_id`, `day`, `connector_number`)
);
