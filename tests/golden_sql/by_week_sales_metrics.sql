-- grouped_metrics_sql(by=['week'], metrics=9)
with
catalog as (
    select asin, product_line from products
),
perf as (
    select
        p.*,
        cast(null as varchar) as product_line,
        p.date - cast(dayofweek(p.date) as integer) as week
    from performance as p
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
        "week",
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
    group by "week"
),
sums as (
    -- A group present in one table only shows 0 for the other table's sums.
    select
        p."week",
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
        p.sns_stated as sns_stated
    from perf_groups as p
),
final as (
    select
    "week", clicks as "clicks",
    orders as "orders",
    units as "units",
    revenue as "revenue",
    commission as "commission",
    cast(orders as double) / nullif(clicks, 0) as "conversion_rate",
    cast(commission as double) / nullif(revenue, 0) as "commission_share",
    cast(revenue as double) / nullif(sum(revenue) over (), 0) as "revenue_share",
    cast(commission as double) / nullif(orders, 0) as "payout_per_order"
    from sums
)
select * from final
order by "week" nulls last
