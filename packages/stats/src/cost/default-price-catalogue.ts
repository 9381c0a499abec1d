import type { PriceEntry, PriceSource } from './price-book.js';

// Every number below was read from the source named beside it; `effective_from` is the date the source gives
// for it (publication, generation or retrieval), not the vendor's own effective date, which the sources do not
// state. Prices change: a project should put its own, newer prices after these (mergePriceBooks). A price we
// could not confirm from a source is left out rather than guessed (e.g. AWS g4dn.xlarge).

const factualMinds: PriceSource = {
  url: 'https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/',
  retrieved: '2026-06-17',
  note: 'Linux on-demand, us-east-1, as of June 17, 2026 per the article',
};

const dataReceipts: PriceSource = {
  url: 'https://raw.githubusercontent.com/datareceipts/data-receipts/main/109-gpu-pricing/hyperscalers.json',
  retrieved: '2026-11-09',
  note: 'the file\'s "retrieved" date; Linux/pay-as-you-go on-demand list prices',
};

// Cyclenerd's Google Cloud price list, generated from Google's Cloud Billing Catalog API on 2025-03-06. It gives
// month_1y and month_3y per month of 730 hours (its hour × 730 = month), so the hourly commitment price is month / 730.
const cyclenerd: PriceSource = {
  url: 'https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/0166a59ebba7c36f2cc8c931d9f258dcebc44776/pricing.yml',
  retrieved: '2025-03-06',
  note: 'compute.instance.<instance>.cost.us-central1: hour, hour_spot, month_1y / 730, month_3y / 730; spot prices move often',
};

const hoursPerMonth = 730;

/** A small catalogue of GPU and CPU instance hourly prices, each with its source. */
export const defaultPriceCatalogue: readonly PriceEntry[] = [
  // AWS: 1 × NVIDIA A10G (24 GB).
  { vendor: 'aws', service: 'AmazonEC2', region: 'us-east-1', instance: 'g5.xlarge', purchase_option: 'on_demand', price_per_hour_usd: 1.006, effective_from: '2026-06-17', source: factualMinds },
  // AWS: Graviton CPU, 2 vCPU, 8 GiB.
  { vendor: 'aws', service: 'AmazonEC2', region: 'us-east-1', instance: 'm7g.large', purchase_option: 'on_demand', price_per_hour_usd: 0.0816, effective_from: '2026-06-17', source: factualMinds },
  // AWS: 8 × A100 SXM 40 GB.
  { vendor: 'aws', service: 'AmazonEC2', region: 'us-east-1', instance: 'p4d.24xlarge', purchase_option: 'on_demand', price_per_hour_usd: 21.957642, effective_from: '2026-11-09', source: dataReceipts },
  // AWS: 8 × H100 SXM 80 GB.
  { vendor: 'aws', service: 'AmazonEC2', region: 'us-east-1', instance: 'p5.48xlarge', purchase_option: 'on_demand', price_per_hour_usd: 55.04, effective_from: '2026-11-09', source: dataReceipts },
  // Azure: 1 × A100 PCIe 80 GB.
  { vendor: 'azure', service: 'VirtualMachines', region: 'eastus', instance: 'Standard_NC24ads_A100_v4', purchase_option: 'on_demand', price_per_hour_usd: 3.673, effective_from: '2026-11-09', source: dataReceipts },
  // Azure: 1 × H100 NVL 94 GB.
  { vendor: 'azure', service: 'VirtualMachines', region: 'eastus', instance: 'Standard_NC40ads_H100_v5', purchase_option: 'on_demand', price_per_hour_usd: 6.98, effective_from: '2026-11-09', source: dataReceipts },
  // GCP: 1 × A100, 12 vCPU, 85 GB.
  { vendor: 'gcp', service: 'ComputeEngine', region: 'us-central1', instance: 'a2-highgpu-1g', purchase_option: 'on_demand', price_per_hour_usd: 3.673385, effective_from: '2025-03-06', source: cyclenerd },
  { vendor: 'gcp', service: 'ComputeEngine', region: 'us-central1', instance: 'a2-highgpu-1g', purchase_option: 'spot', price_per_hour_usd: 1.293355, effective_from: '2025-03-06', source: cyclenerd },
  { vendor: 'gcp', service: 'ComputeEngine', region: 'us-central1', instance: 'a2-highgpu-1g', purchase_option: 'commit_1y', price_per_hour_usd: 1689.3711392 / hoursPerMonth, effective_from: '2025-03-06', source: cyclenerd },
  { vendor: 'gcp', service: 'ComputeEngine', region: 'us-central1', instance: 'a2-highgpu-1g', purchase_option: 'commit_3y', price_per_hour_usd: 938.56707798 / hoursPerMonth, effective_from: '2025-03-06', source: cyclenerd },
  // GCP: 1 × NVIDIA L4 (24 GB), 4 vCPU, 16 GB.
  { vendor: 'gcp', service: 'ComputeEngine', region: 'us-central1', instance: 'g2-standard-4', purchase_option: 'on_demand', price_per_hour_usd: 0.706832255, effective_from: '2025-03-06', source: cyclenerd },
  { vendor: 'gcp', service: 'ComputeEngine', region: 'us-central1', instance: 'g2-standard-4', purchase_option: 'spot', price_per_hour_usd: 0.279932, effective_from: '2025-03-06', source: cyclenerd },
  { vendor: 'gcp', service: 'ComputeEngine', region: 'us-central1', instance: 'g2-standard-4', purchase_option: 'commit_1y', price_per_hour_usd: 325.07215214 / hoursPerMonth, effective_from: '2025-03-06', source: cyclenerd },
  { vendor: 'gcp', service: 'ComputeEngine', region: 'us-central1', instance: 'g2-standard-4', purchase_option: 'commit_3y', price_per_hour_usd: 232.19438719 / hoursPerMonth, effective_from: '2025-03-06', source: cyclenerd },
];
