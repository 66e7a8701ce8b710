-- grouped_metrics_sql(by=['product_line'], metrics=15)
with
catalog as (
    select asin, product_line from products
),
perf as (
    select
        p.*,
        coalesce(c.product_line, 'Unassigned') as product_line,
        p.date - cast(dayofweek(p.date) as integer) as week
    from performance as p
    left join catalog as c using (asin)
),
perf_in_scope as (
    select *
    from perf
    where date between $start and $end
      and (len($creators::varchar[]) = 0 or list_contains($creators::varchar[], creator))
      and (len($asins::varchar[]) = 0 or list_contains($asins::varchar[], asin))
      and (len($product_lines::varchar[]) = 0 or list_contains($product_lines::varchar[], product_line))
      and (len($campaigns::varchar[]) = 0 or list_contains($campaigns::varchar[], campaign))
      and (len($programs::varchar[]) = 0 or list_contains($programs::varchar[], program))
),
perf_groups as (
    select
        "product_line",
        cast(sum(clicks) as bigint) as clicks,
        cast(sum(orders) as bigint) as orders,
        cast(sum(units) as bigint) as units,
        cast(sum(revenue) as decimal(38, 4)) as revenue,
        cast(sum(commission) as decimal(38, 4)) as commission,
        cast(sum(ntb_orders) as bigint) as ntb_orders,
        cast(case when count(ntb_orders) > 0 then sum(orders) end as bigint) as ntb_base,
        cast(sum(sns_orders) as bigint) as sns_orders,
        cast(case when count(sns_orders) > 0 then sum(orders) end as bigint) as sns_base,
        cast(sum(orders) filter (where ntb_orders is not null) as bigint) as ntb_stated,
        cast(sum(orders) filter (where sns_orders is not null) as bigint) as sns_stated
    from perf_in_scope
    group by "product_line"
),
lines as (
    select
        o.*,
        coalesce(c.product_line, 'Unassigned') as product_line,
        cast(null as varchar) as program,
        o.order_date - cast(dayofweek(o.order_date) as integer) as week,
        coalesce(previous_order_date >= $start or next_order_date <= $end, false) as is_repeat,
        coalesce(previous_order_date = order_date or next_order_date <= order_date + $repeat_days, false) as repeats_within
    from orders as o
    left join catalog as c using (asin)
    where o.order_date between $start and $end
),
store_end as (
    select max(order_date) - date '1970-01-01' as last_order_day from orders
),
baseline_lines as (
    select *
    from lines
    where (len($asins::varchar[]) = 0 or list_contains($asins::varchar[], asin)) and (len($product_lines::varchar[]) = 0 or list_contains($product_lines::varchar[], product_line))
),
attributed_lines as (
    select *
    from baseline_lines
    where creator is not null
      and (len($creators::varchar[]) = 0 or list_contains($creators::varchar[], creator))
      and (len($campaigns::varchar[]) = 0 or list_contains($campaigns::varchar[], campaign))
),
attributed_groups as (
    select
        c."product_line",
        c.lines, c.ntb_lines, c.ntb_known, c.sns_lines, c.sns_known, c.customers, c.repeat_customers, c.matured, c.repeaters
    from (
        select
            "product_line",
            cast(sum(lines) as bigint) as lines, cast(sum(ntb_lines) as bigint) as ntb_lines, cast(sum(ntb_known) as bigint) as ntb_known, cast(sum(sns_lines) as bigint) as sns_lines, cast(sum(sns_known) as bigint) as sns_known, count(*) as customers, count(*) filter (where first_line % 2 = 0) as repeat_customers, count(*) filter (where first_line // 4 + $repeat_days <= last_order_day) as matured, count(*) filter (where first_line // 4 + $repeat_days <= last_order_day and first_line // 2 % 2 = 0) as repeaters
        from (
            select "product_line", customer_id_key, count(*) as lines, count(*) filter (where new_to_brand) as ntb_lines, count(new_to_brand) as ntb_known, count(*) filter (where subscribe_and_save) as sns_lines, count(subscribe_and_save) as sns_known, min((order_date - date '1970-01-01') * 4 + case when repeats_within then 0 else 2 end + case when is_repeat then 0 else 1 end) as first_line
            from attributed_lines
            group by "product_line", customer_id_key
        )
        cross join store_end
        group by "product_line"
    ) as c
),
baseline_groups as (
    select "product_line", count(*) as b_lines, count(*) filter (where new_to_brand) as b_ntb_lines, count(new_to_brand) as b_ntb_known, count(*) filter (where subscribe_and_save) as b_sns_lines, count(subscribe_and_save) as b_sns_known from baseline_lines group by "product_line"
),
cohorts_in_scope as (
    select *
    from (
        select
            r.*,
            case when r.asin is not null then coalesce(c.product_line, 'Unassigned') end as product_line,
            cast(null as varchar) as program,
            case when r.period_start - cast(dayofweek(r.period_start) as integer) = r.period_end - cast(dayofweek(r.period_end) as integer) then r.period_start - cast(dayofweek(r.period_start) as integer) end as week
        from "cohorts" as r
        left join "catalog" as c using (asin)
        where r.period_start >= $start
          and r.period_end <= $end
    )
    where (len($asins::varchar[]) = 0 or list_contains($asins::varchar[], asin))
      and (len($product_lines::varchar[]) = 0 or list_contains($product_lines::varchar[], product_line))
),
cohort_groups as (
    select
        "product_line",
        sum(ntb_buyers) as ntb_buyers, case when count(ntb_buyers) > 0 then sum(buyers) end as ntb_base,
        sum(sns_buyers) as sns_buyers, case when count(sns_buyers) > 0 then sum(buyers) end as sns_base,
        sum(repeat_buyers) as repeat_buyers, case when count(repeat_buyers) > 0 then sum(buyers) end as repeat_base
    from cohorts_in_scope
    where creator is not null
      and (len($creators::varchar[]) = 0 or list_contains($creators::varchar[], creator))
      and (len($campaigns::varchar[]) = 0 or list_contains($campaigns::varchar[], campaign))
      and "product_line" is not null
    group by "product_line"
),
cohort_baseline_groups as (
    select
        "product_line",
        sum(ntb_buyers) as ntb_buyers, case when count(ntb_buyers) > 0 then sum(buyers) end as ntb_base,
        sum(sns_buyers) as sns_buyers, case when count(sns_buyers) > 0 then sum(buyers) end as sns_base,
        sum(repeat_buyers) as repeat_buyers, case when count(repeat_buyers) > 0 then sum(buyers) end as repeat_base
    from cohorts_in_scope
    where creator is null
      and "product_line" is not null
    group by "product_line"
),
brand_analytics_in_scope as (
    select *
    from (
        select
            r.*,
            case when r.asin is not null then coalesce(c.product_line, 'Unassigned') end as product_line,
            cast(null as varchar) as program,
            case when r.period_start - cast(dayofweek(r.period_start) as integer) = r.period_end - cast(dayofweek(r.period_end) as integer) then r.period_start - cast(dayofweek(r.period_start) as integer) end as week
        from "repeat_purchase" as r
        left join "catalog" as c using (asin)
        where r.period_start >= $start
          and r.period_end <= $end
    )
    where (len($asins::varchar[]) = 0 or list_contains($asins::varchar[], asin))
      and (len($product_lines::varchar[]) = 0 or list_contains($product_lines::varchar[], product_line))
),
brand_analytics_groups as (
    select
        "product_line",
        sum(unique_customers * repeat_customers_pct) filter (where unique_customers is not null and repeat_customers_pct is not null) as ba_repeat_customers,
        sum(unique_customers) filter (where unique_customers is not null and repeat_customers_pct is not null) as ba_customers
    from brand_analytics_in_scope
    where true
    group by "product_line"
),
presence as (
    select
        (select count(*) > 0 from baseline_lines) as has_order_lines,
        -- Cohorts are a source for these groups only where a row in scope can fill one: by week, a row
        -- inside a week; by ASIN, a row naming one (`cohorts_split_by`).
        (
            select count(*) > 0 from cohorts_in_scope
            where creator is not null
      and "product_line" is not null
        ) as has_cohorts,
        (
            select count(*) > 0 from cohorts_in_scope
            where creator is null
      and "product_line" is not null
        ) as has_cohort_baseline
),
group_keys as (
    select "product_line" from perf_groups
    union
    select "product_line" from attributed_groups
    union
    -- Cohorts list their groups only where they are the source: without order lines in the scope.
    select "product_line" from cohort_groups where not (select has_order_lines from presence)
    union
    select "product_line" from cohort_baseline_groups where not (select has_order_lines from presence)
    union
    select "product_line" from brand_analytics_groups
    where not (select has_order_lines from presence) and not (select has_cohort_baseline from presence)
),
sums as (
    -- A group present in one table only shows 0 for the other table's sums.
    select
        k."product_line",
        coalesce(p.clicks, 0) as clicks,
        coalesce(p.orders, 0) as orders,
        case when p.clicks is null then 0 else p.units end as units,
        coalesce(p.revenue, 0) as revenue,
        coalesce(p.commission, 0) as commission,
        p.ntb_orders as ntb_orders,
        p.ntb_base as ntb_base,
        p.sns_orders as sns_orders,
        p.sns_base as sns_base,
        p.ntb_stated as ntb_stated,
        p.sns_stated as sns_stated,
        a.lines,
        a.ntb_lines,
        a.ntb_known,
        a.sns_lines,
        a.sns_known,
        coalesce(a.customers, 0) as customers,
        a.repeat_customers,
        coalesce(a.matured, 0) as matured,
        a.repeaters,
        b.b_lines,
        b.b_ntb_lines,
        b.b_ntb_known,
        b.b_sns_lines,
        b.b_sns_known,
        c.ntb_buyers as c_ntb_buyers,
        c.ntb_base as c_ntb_base,
        c.sns_buyers as c_sns_buyers,
        c.sns_base as c_sns_base,
        c.repeat_buyers as c_repeat_buyers,
        c.repeat_base as c_repeat_base,
        cb.ntb_buyers as cb_ntb_buyers,
        cb.ntb_base as cb_ntb_base,
        cb.sns_buyers as cb_sns_buyers,
        cb.sns_base as cb_sns_base,
        cb.repeat_buyers as cb_repeat_buyers,
        cb.repeat_base as cb_repeat_base,
        (select has_order_lines from presence) as has_order_lines,
        (select has_cohorts from presence) as has_cohorts,
        (select has_cohort_baseline from presence) as has_cohort_baseline,
        ba.ba_repeat_customers as ba_repeat_customers,
        ba.ba_customers as ba_customers,
        (select count(*) > 0 from brand_analytics_in_scope) as has_brand_analytics
    from group_keys as k
    left join perf_groups as p on k."product_line" is not distinct from p."product_line"
    left join attributed_groups as a on k."product_line" is not distinct from a."product_line"
    left join baseline_groups as b on k."product_line" is not distinct from b."product_line"
    left join cohort_groups as c on k."product_line" is not distinct from c."product_line"
    left join cohort_baseline_groups as cb on k."product_line" is not distinct from cb."product_line"
    left join brand_analytics_groups as ba on k."product_line" is not distinct from ba."product_line"
),
final as (
    select
    "product_line", clicks as "clicks",
    orders as "orders",
    units as "units",
    revenue as "revenue",
    commission as "commission",
    cast(orders as double) / nullif(clicks, 0) as "conversion_rate",
    cast(commission as double) / nullif(revenue, 0) as "commission_share",
    cast(revenue as double) / nullif(sum(revenue) over (), 0) as "revenue_share",
    cast(commission as double) / nullif(orders, 0) as "payout_per_order",
    case when has_order_lines then cast(ntb_lines as double) / nullif(case when ntb_known > 0 then lines end, 0) when has_cohorts then cast(c_ntb_buyers as double) / nullif(c_ntb_base, 0) else cast(ntb_orders as double) / nullif(ntb_base, 0) end as "ntb_pct",
    case when has_order_lines then cast(sns_lines as double) / nullif(case when sns_known > 0 then lines end, 0) when has_cohorts then cast(c_sns_buyers as double) / nullif(c_sns_base, 0) else cast(sns_orders as double) / nullif(sns_base, 0) end as "sns_rate",
    case when has_order_lines then cast(repeaters as double) / nullif(matured, 0) when has_cohorts then cast(c_repeat_buyers as double) / nullif(c_repeat_base, 0) end as "repeat_rate",
    case when has_order_lines then customers - matured end as "repeat_pending",
    case when has_order_lines then cast(repeat_customers as double) / nullif(customers, 0) end as "repeat_rate_in_period",
    nullif(concat_ws('+', case when has_order_lines then 'order_lines' when has_cohorts then 'cohorts' when ntb_base is not null or sns_base is not null then 'performance' end, case when (case when has_order_lines then 'order_lines' when has_cohort_baseline then 'cohorts' when has_brand_analytics and ba_customers > 0 then 'brand_analytics' end) is distinct from (case when has_order_lines then 'order_lines' when has_cohorts then 'cohorts' when ntb_base is not null or sns_base is not null then 'performance' end) then case when has_order_lines then 'order_lines' when has_cohort_baseline then 'cohorts' when has_brand_analytics and ba_customers > 0 then 'brand_analytics' end end), '') as "customer_source"
    from sums
)
select * from final
order by "product_line" nulls last
