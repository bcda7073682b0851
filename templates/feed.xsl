<?xml version="1.0" encoding="UTF-8"?>
<!--
  feed.xsl: shows feed.xml (Atom) and rss.xml (RSS 2.0) as a readable HTML
  page when opened in a browser. The feeds link it with
  <?xml-stylesheet href="feed.xsl" type="text/xsl"?>. XSLT 1.0 only, because
  that is all browsers support. No JavaScript, no external CSS or fonts.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:media="http://search.yahoo.com/mrss/"
    exclude-result-prefixes="atom content media">

  <!-- doctype-system="about:legacy-compat" is the XSLT way to get <!DOCTYPE html>. -->
  <xsl:output method="html" encoding="UTF-8" indent="yes"
      doctype-system="about:legacy-compat"/>

  <!-- ===== Atom ===== -->
  <xsl:template match="/atom:feed">
    <xsl:call-template name="page">
      <xsl:with-param name="lang" select="@xml:lang"/>
      <xsl:with-param name="format" select="'Atom'"/>
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="subtitle" select="atom:subtitle"/>
      <xsl:with-param name="site" select="atom:link[@rel='alternate' or not(@rel)][1]/@href"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="url" select="atom:link[@rel='alternate' or not(@rel)][1]/@href"/>
      <xsl:with-param name="datetime">
        <xsl:choose>
          <xsl:when test="atom:published"><xsl:value-of select="atom:published"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="atom:updated"/></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="summary" select="atom:summary"/>
      <!-- Only type="html" summaries contain markup; plain text stays escaped. -->
      <xsl:with-param name="is-html" select="atom:summary/@type='html'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== RSS 2.0 ===== -->
  <xsl:template match="/rss">
    <xsl:call-template name="page">
      <xsl:with-param name="lang" select="channel/language"/>
      <xsl:with-param name="format" select="'RSS'"/>
      <xsl:with-param name="self" select="channel/atom:link[@rel='self']/@href"/>
      <xsl:with-param name="title" select="channel/title"/>
      <xsl:with-param name="subtitle" select="channel/description"/>
      <xsl:with-param name="site" select="channel/link"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="item">
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="url" select="link"/>
      <xsl:with-param name="date" select="pubDate"/>
      <xsl:with-param name="summary" select="description"/>
      <xsl:with-param name="is-html" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== Shared page layout ===== -->
  <xsl:template name="page">
    <xsl:param name="lang"/>
    <xsl:param name="format"/>
    <xsl:param name="self"/>
    <xsl:param name="title"/>
    <xsl:param name="subtitle"/>
    <xsl:param name="site"/>
    <html>
      <xsl:if test="string($lang)">
        <xsl:attribute name="lang"><xsl:value-of select="$lang"/></xsl:attribute>
      </xsl:if>
      <head>
        <!-- The http-equiv form, because libxslt adds exactly this tag itself and
             would otherwise output a second charset declaration. -->
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (<xsl:value-of select="$format"/> feed)</title>
        <style>
          :root { color-scheme: light dark; --bg: #fafaf7; --fg: #1f2328; --muted: #59636e;
                  --link: #0b5cad; --rule: #d8dee4; --note: #eef4fb; }
          @media (prefers-color-scheme: dark) {
            :root { --bg: #16181c; --fg: #e6e6e6; --muted: #9aa4ae;
                    --link: #7cb7ff; --rule: #30363d; --note: #1d2633; }
          }
          * { box-sizing: border-box; }
          body { margin: 0; background: var(--bg); color: var(--fg);
                 font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
          main { max-width: 42rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
          a { color: var(--link); }
          .note { background: var(--note); border: 1px solid var(--rule); border-radius: .5rem;
                  padding: .75rem 1rem; font-size: .9375rem; }
          .note p { margin: .25rem 0; }
          .note code { display: block; margin: .35rem 0; padding: .35rem .5rem; border-radius: .25rem;
                       background: var(--bg); overflow-wrap: anywhere; font-size: .875rem; }
          h1 { font-size: 1.75rem; line-height: 1.25; margin: 1.75rem 0 .25rem; }
          .subtitle { color: var(--muted); margin: 0 0 .5rem; }
          ol { list-style: none; padding: 0; margin: 2rem 0 0; }
          li { border-top: 1px solid var(--rule); padding: 1.1rem 0; }
          h2 { font-size: 1.2rem; line-height: 1.3; margin: 0 0 .2rem; }
          h2 a { text-decoration: none; }
          h2 a:hover, h2 a:focus { text-decoration: underline; }
          .date { color: var(--muted); font-size: .875rem; }
          .summary { margin-top: .4rem; overflow-wrap: anywhere; }
          .summary p { margin: .4rem 0; }
          .summary img { max-width: 100%; height: auto; }
        </style>
      </head>
      <body>
        <main>
          <div class="note">
            <p><strong>This is a web feed</strong> (<xsl:value-of select="$format"/>).
              Subscribe by copying the URL of this page into your feed reader:</p>
            <xsl:if test="string($self)"><code><xsl:value-of select="$self"/></code></xsl:if>
            <p>A feed reader collects new posts from the sites you follow in one place.
              New to feeds? See <a href="https://aboutfeeds.com/">About Feeds</a>.</p>
          </div>
          <header>
            <h1><xsl:value-of select="$title"/></h1>
            <xsl:if test="string($subtitle)">
              <p class="subtitle"><xsl:value-of select="$subtitle"/></p>
            </xsl:if>
            <xsl:if test="string($site)">
              <p><a href="{$site}">Visit the website &#8594;</a></p>
            </xsl:if>
          </header>
          <ol>
            <xsl:apply-templates select="atom:entry | channel/item"/>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- One entry/item. $datetime (Atom, ISO 8601) shows its first 10 characters,
       i.e. YYYY-MM-DD; $date (RSS, RFC 822) is shown as is. -->
  <xsl:template name="entry">
    <xsl:param name="title"/>
    <xsl:param name="url"/>
    <xsl:param name="datetime"/>
    <xsl:param name="date"/>
    <xsl:param name="summary"/>
    <xsl:param name="is-html"/>
    <li>
      <h2>
        <xsl:choose>
          <xsl:when test="string($url)"><a href="{$url}"><xsl:value-of select="$title"/></a></xsl:when>
          <xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise>
        </xsl:choose>
      </h2>
      <xsl:choose>
        <xsl:when test="string($datetime)">
          <time class="date" datetime="{$datetime}"><xsl:value-of select="substring($datetime, 1, 10)"/></time>
        </xsl:when>
        <xsl:when test="string($date)">
          <span class="date"><xsl:value-of select="$date"/></span>
        </xsl:when>
      </xsl:choose>
      <xsl:if test="string($summary)">
        <div class="summary">
          <xsl:choose>
            <!-- The summary is HTML escaped as text in the feed. We generate the
                 feed ourselves from our own posts, so emitting it unescaped is
                 acceptable here. (Firefox ignores disable-output-escaping and
                 shows the markup as text, which is harmless.) -->
            <xsl:when test="$is-html">
              <xsl:value-of select="$summary" disable-output-escaping="yes"/>
            </xsl:when>
            <xsl:otherwise><xsl:value-of select="$summary"/></xsl:otherwise>
          </xsl:choose>
        </div>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- Ignore anything else (e.g. a feed format we don't know). -->
  <xsl:template match="text()"/>
</xsl:stylesheet>
