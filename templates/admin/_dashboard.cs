<?cs
# The dashboard of the admin index: defines dashboard(), which the index
# template calls where the charts go, after including this file.
# Filled by site_dashboard() (app/site/dashboard.c), the admin index hook.
#
# Reads: Dashboard.charts.N (N = 0..3: articles per week, comments per day
#          by status, signups per week, requests and errors per hour), each
#          with .id, .title, and .svg: an <svg> element chart_svg()
#          (app/core/chart.c) made, with every text in it XML-escaped.  It
#          is printed unescaped since Gazette produced it itself, like
#          rendered Markdown; nothing else here is.
#
# Each chart is a figure captioned by its title; the svg itself is
# role="img" with a <title> and a <desc> giving every value in words, so
# no script and no style attribute is needed (the CSP allows neither).
?><?cs def:dashboard() ?><?cs
if:subcount(Dashboard.charts) > 0 ?>
<section class="dashboard-charts" aria-labelledby="dashboard-charts-heading">
<h2 id="dashboard-charts-heading">Activity</h2>
<div class="chart-grid-layout"><?cs
each:chart = Dashboard.charts ?>
<figure class="chart">
<figcaption><?cs var:chart.title ?></figcaption>
<?cs escape: "none" ?><?cs var:chart.svg ?><?cs /escape ?>
</figure><?cs
/each ?>
</div>
</section><?cs
/if ?><?cs /def ?>
