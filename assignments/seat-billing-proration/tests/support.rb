# frozen_string_literal: true

# Shared by the hidden specs: plans, dates and compact views of invoices. The submission's lib/
# is on the load path (rspec -I lib), as the README's contract says.
require "date"
require "billing"

module HiddenSpecSupport
  def team
    Billing::Plan.new(code: "team", seat_price_cents: 1_200)
  end

  def business
    Billing::Plan.new(code: "business", seat_price_cents: 2_500)
  end

  def day(text)
    Date.iso8601(text)
  end

  # [issued_on, total, credit applied, amount due, balance after] per invoice, dates as text.
  def ledger(invoices)
    invoices.map do |invoice|
      [invoice.issued_on.iso8601, invoice.total_cents, invoice.credit_applied_cents,
       invoice.amount_due_cents, invoice.balance_after_cents]
    end
  end

  # Each line as [kind, plan code, seats, starts_on, ends_on, amount], dates as text.
  def lines(invoice)
    invoice.lines.map do |line|
      [line.kind, line.plan_code, line.seats, line.starts_on.iso8601, line.ends_on.iso8601,
       line.amount_cents]
    end
  end

  def issued_on(invoices)
    invoices.map { |invoice| invoice.issued_on.iso8601 }
  end

  def invoice_on(invoices, text)
    found = invoices.select { |invoice| invoice.issued_on == day(text) }
    raise "expected one invoice issued on #{text}, got #{found.size}" unless found.size == 1

    found.first
  end
end

RSpec.configure do |config|
  config.include HiddenSpecSupport
  config.expect_with(:rspec) { |c| c.syntax = :expect }
  config.order = :defined
end
