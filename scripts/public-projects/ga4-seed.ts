/**
 * A Google Analytics 4 BigQuery export for superformlabs/ga4dataform-community: the daily
 * `events_YYYYMMDD` tables with the columns and types of the export schema as Google documents it
 * (https://support.google.com/analytics/answer/7029846, "[GA4] BigQuery Export schema"), and a few
 * events of two users' sessions (a session_start, page views, a purchase) on recent days, so that
 * the project's incremental date checkpoint, its sessions and its transactions all see rows.
 * Written by hand from the documented schema; nothing is copied from the project.
 */

const PARAM_VALUE = 'struct<string_value string, int_value int64, float_value float64, double_value float64>';

/** The export's columns (the documented schema, in its order). */
export const GA4_EVENTS_SCHEMA = `event_date string, event_timestamp int64, event_name string,
  event_params array<struct<key string, value ${PARAM_VALUE}>>,
  event_previous_timestamp int64, event_value_in_usd float64, event_bundle_sequence_id int64, event_server_timestamp_offset int64,
  user_id string, user_pseudo_id string,
  privacy_info struct<analytics_storage string, ads_storage string, uses_transient_token string>,
  user_properties array<struct<key string, value struct<string_value string, int_value int64, float_value float64, double_value float64, set_timestamp_micros int64>>>,
  user_first_touch_timestamp int64,
  user_ltv struct<revenue float64, currency string>,
  device struct<category string, mobile_brand_name string, mobile_model_name string, mobile_marketing_name string, mobile_os_hardware_model string,
    operating_system string, operating_system_version string, vendor_id string, advertising_id string, language string, is_limited_ad_tracking string,
    time_zone_offset_seconds int64, browser string, browser_version string, web_info struct<browser string, browser_version string, hostname string>>,
  geo struct<city string, country string, continent string, region string, sub_continent string, metro string>,
  app_info struct<id string, version string, install_store string, firebase_app_id string, install_source string>,
  traffic_source struct<name string, medium string, source string>,
  stream_id string, platform string,
  event_dimensions struct<hostname string>,
  ecommerce struct<total_item_quantity int64, purchase_revenue_in_usd float64, purchase_revenue float64, refund_value_in_usd float64, refund_value float64,
    shipping_value_in_usd float64, shipping_value float64, tax_value_in_usd float64, tax_value float64, unique_items int64, transaction_id string>,
  items array<struct<item_id string, item_name string, item_brand string, item_variant string, item_category string, item_category2 string,
    item_category3 string, item_category4 string, item_category5 string, price_in_usd float64, price float64, quantity int64,
    item_revenue_in_usd float64, item_revenue float64, item_refund_in_usd float64, item_refund float64, coupon string, affiliation string,
    location_id string, item_list_id string, item_list_name string, item_list_index string, promotion_id string, promotion_name string,
    creative_name string, creative_slot string, item_params array<struct<key string, value ${PARAM_VALUE}>>>>,
  collected_traffic_source struct<manual_campaign_id string, manual_campaign_name string, manual_source string, manual_medium string,
    manual_term string, manual_content string, manual_source_platform string, manual_creative_format string, manual_marketing_tactic string,
    gclid string, dclid string, srsltid string>,
  is_active_user bool, batch_event_index int64, batch_page_id int64, batch_ordering_id int64,
  session_traffic_source_last_click struct<
    manual_campaign struct<campaign_id string, campaign_name string, source string, medium string, term string, content string,
      source_platform string, creative_format string, marketing_tactic string>,
    google_ads_campaign struct<customer_id string, account_name string, campaign_id string, campaign_name string, ad_group_id string, ad_group_name string>,
    cross_channel_campaign struct<campaign_id string, campaign_name string, source string, medium string, source_platform string,
      default_channel_group string, primary_channel_group string>,
    sa360_campaign struct<campaign_id string, campaign_name string, source string, medium string, ad_group_id string, ad_group_name string,
      creative_format string, engine_account_name string, engine_account_type string, manager_account_name string>,
    cm360_campaign struct<campaign_id string, campaign_name string, source string, medium string, account_id string, account_name string,
      advertiser_id string, advertiser_name string, creative_id string, creative_format string, creative_name string, creative_type string,
      creative_type_id string, creative_version string, placement_id string, placement_cost_structure string, placement_name string,
      rendering_id string, site_id string, site_name string>,
    dv360_campaign struct<campaign_id string, campaign_name string, source string, medium string, advertiser_id string, advertiser_name string,
      creative_id string, creative_format string, creative_name string, exchange_id string, exchange_name string, insertion_order_id string,
      insertion_order_name string, line_item_id string, line_item_name string, partner_id string, partner_name string>>,
  publisher struct<ad_revenue_in_usd float64, ad_format string, ad_source_name string, ad_unit_id string>`;

const str = (v: string | null): string => (v === null ? 'null' : `'${v}'`);
/** One event parameter: a string or an integer value, the other value fields NULL (as the export writes them). */
function param(key: string, v: string | number): string {
  const value = typeof v === 'number' ? `struct(cast(null as string), ${v}, cast(null as float64), cast(null as float64))` : `struct('${v}', cast(null as int64), cast(null as float64), cast(null as float64))`;
  return `struct('${key}', ${value})`;
}

interface SeedEvent {
  name: string;
  micros: number;
  user: string;
  session: number;
  params: [string, string | number][];
  purchase?: { id: string; revenue: number };
}

function eventRow(day: string, e: SeedEvent, index: number): string {
  const params = [param('ga_session_id', e.session), param('ga_session_number', 1), param('engagement_time_msec', 1200), ...e.params.map(([k, v]) => param(k, v))];
  const ecommerce = e.purchase
    ? `struct(1, ${e.purchase.revenue}, ${e.purchase.revenue}, cast(null as float64), cast(null as float64), 4.5, 4.5, 2.0, 2.0, 1, '${e.purchase.id}')`
    : 'null';
  const items = e.purchase
    ? `[struct('sku-1' as item_id, 'Blue mug' as item_name, 'Acme' as item_brand, cast(null as string) as item_variant, 'Kitchen' as item_category,
        cast(null as string), cast(null as string), cast(null as string), cast(null as string), ${e.purchase.revenue} as price_in_usd, ${e.purchase.revenue} as price, 1 as quantity,
        ${e.purchase.revenue} as item_revenue_in_usd, ${e.purchase.revenue} as item_revenue, cast(null as float64), cast(null as float64), cast(null as string), cast(null as string),
        cast(null as string), cast(null as string), cast(null as string), cast(null as string), cast(null as string), cast(null as string),
        cast(null as string), cast(null as string), [${param('color', 'blue')}])]`
    : '[]';
  const nulls = (n: number) => Array.from({ length: n }, () => 'cast(null as string)').join(', ');
  return `('${day}', ${e.micros}, '${e.name}', [${params.join(', ')}], null, null, ${index + 1}, null,
    null, ${str(e.user)}, struct('granted', 'granted', 'No'), [], ${e.micros - 60_000_000}, struct(0.0, 'EUR'),
    struct('desktop', cast(null as string), cast(null as string), cast(null as string), cast(null as string), 'Windows', 'Windows 10', cast(null as string),
      cast(null as string), 'en-us', 'No', cast(null as int64), cast(null as string), cast(null as string), struct('Chrome', '124.0', 'www.shop.example')),
    struct('Paris', 'France', 'Europe', 'Ile-de-France', 'Western Europe', '(not set)'), null,
    struct('(direct)', '(none)', '(direct)'), '1234567890', 'WEB', null, ${ecommerce}, ${items},
    struct(${nulls(1)}, 'spring', 'newsletter', 'email', ${nulls(8)}),
    true, ${index}, 1, ${index + 1},
    struct(struct(${nulls(1)}, 'spring', 'newsletter', 'email', ${nulls(5)}), struct(${nulls(6)}), struct(${nulls(2)}, 'newsletter', 'email', ${nulls(1)}, 'Email', 'Email'),
      struct(${nulls(10)}), struct(${nulls(20)}), struct(${nulls(17)})),
    null)`;
}

/** The day `daysAgo` days before today (UTC) as the export names it (YYYYMMDD), and its midnight in microseconds. */
function day(daysAgo: number): { suffix: string; micros: number } {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - daysAgo);
  return { suffix: d.toISOString().slice(0, 10).replace(/-/g, ''), micros: d.getTime() * 1000 };
}

/** `dataset` is the project's GA4_DATASET (workflow_settings.yaml's vars). */
export function ga4Seed(dataset: string): string[] {
  const out: string[] = [];
  // a final day (older than DATA_IS_FINAL_DAYS) and a recent one
  for (const [n, ago] of [5, 1].entries()) {
    const { suffix, micros } = day(ago);
    const hour = 3_600_000_000;
    const page = (path: string) => [['page_location', `https://www.shop.example${path}?utm_source=newsletter&utm_medium=email`], ['page_title', 'Shop'], ['page_referrer', 'https://www.google.com/']] as [string, string][];
    const events: SeedEvent[] = [
      { name: 'session_start', micros: micros + 9 * hour, user: `u1.${n}`, session: 1000 + n, params: [...page('/'), ['entrances', 1], ['session_engaged', '1']] },
      { name: 'page_view', micros: micros + 9 * hour + 1_000_000, user: `u1.${n}`, session: 1000 + n, params: page('/') },
      { name: 'page_view', micros: micros + 9 * hour + 60_000_000, user: `u1.${n}`, session: 1000 + n, params: page('/mug') },
      { name: 'purchase', micros: micros + 9 * hour + 120_000_000, user: `u1.${n}`, session: 1000 + n, params: [...page('/checkout'), ['currency', 'EUR']], purchase: { id: `T${n}`, revenue: 19.5 } },
      { name: 'session_start', micros: micros + 14 * hour, user: `u2.${n}`, session: 2000 + n, params: [...page('/'), ['entrances', 1]] },
      { name: 'page_view', micros: micros + 14 * hour + 1_000_000, user: `u2.${n}`, session: 2000 + n, params: page('/') },
    ];
    const table = `\`landform-local.${dataset}.events_${suffix}\``;
    out.push(`create table if not exists ${table} (${GA4_EVENTS_SCHEMA})`);
    out.push(`insert into ${table} values ${events.map((e, i) => eventRow(suffix, e, i)).join(',\n')}`);
  }
  return out;
}
