# frozen_string_literal: true

require_relative "support"

RSpec.describe "account credit" do
  it "turns a downgrade's negative total into credit, with nothing due" do
    sub = Billing::Subscription.new(plan: business, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: team)
    invoice = invoice_on(sub.invoices_through(day("2024-03-31")), "2024-03-11")

    expect(lines(invoice)).to eq([
      [:credit, "business", 4, "2024-03-11", "2024-04-01", -6_774],
      [:charge, "team", 4, "2024-03-11", "2024-04-01", 3_252]
    ])
    expect(ledger([invoice])).to eq([["2024-03-11", -3_522, 0, 0, 3_522]])
  end

  it "pays the next renewal with the credit first" do
    sub = Billing::Subscription.new(plan: business, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: team)

    expect(ledger(sub.invoices_through(day("2024-05-01")))).to eq([
      ["2024-03-01", 10_000, 0, 10_000, 0],
      ["2024-03-11", -3_522, 0, 0, 3_522],
      ["2024-04-01", 4_800, 3_522, 1_278, 0],
      ["2024-05-01", 4_800, 0, 4_800, 0]
    ])
  end

  it "carries credit larger than a renewal over several renewals" do
    sub = Billing::Subscription.new(plan: business, seats: 10, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-02"), plan: team, seats: 1)

    # 30 of 31 days: -250.00 x 30/31 = -241.935 and 12.00 x 30/31 = 11.613
    expect(ledger(sub.invoices_through(day("2024-06-01")))).to eq([
      ["2024-03-01", 25_000, 0, 25_000, 0],
      ["2024-03-02", -23_033, 0, 0, 23_033],
      ["2024-04-01", 1_200, 1_200, 0, 21_833],
      ["2024-05-01", 1_200, 1_200, 0, 20_633],
      ["2024-06-01", 1_200, 1_200, 0, 19_433]
    ])
  end

  it "pays a later upgrade's proration with the credit too" do
    sub = Billing::Subscription.new(plan: business, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: team)
    sub.change(on: day("2024-03-21"), plan: business)

    # 11 of 31 days: -48.00 x 11/31 = -17.032 and 100.00 x 11/31 = 35.484
    expect(ledger(sub.invoices_through(day("2024-04-01")))).to eq([
      ["2024-03-01", 10_000, 0, 10_000, 0],
      ["2024-03-11", -3_522, 0, 0, 3_522],
      ["2024-03-21", 1_845, 1_845, 0, 1_677],
      ["2024-04-01", 10_000, 1_677, 8_323, 0]
    ])
  end

  it "keeps every invoice's total equal to the sum of its lines" do
    sub = Billing::Subscription.new(plan: team, seats: 7, starts_on: day("2024-01-31"))
    sub.change(on: day("2024-02-13"), plan: business)
    sub.change(on: day("2024-03-05"), seats: 2)
    sub.change(on: day("2024-03-20"), plan: team, seats: 9)
    invoices = sub.invoices_through(day("2024-06-30"))

    expect(invoices.size).to eq(9)
    invoices.each do |invoice|
      expect(invoice.total_cents).to eq(invoice.lines.sum(&:amount_cents))
      expect(invoice.amount_due_cents).to eq([invoice.total_cents - invoice.credit_applied_cents, 0].max)
    end
  end
end
