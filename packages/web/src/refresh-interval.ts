/** How often the dashboard asks the server again; the empty state promises new data "within 10 seconds". */
export const refreshIntervalMs = 10_000;
