# frozen_string_literal: true

require_relative "support"

RSpec.describe "cancellation" do
  it "credits the unused rest of the period on the day it takes effect" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.cancel(on: day("2024-03-11"))
    invoice = invoice_on(sub.invoices_through(day("2024-03-31")), "2024-03-11")

    expect(lines(invoice)).to eq([[:credit, "team", 4, "2024-03-11", "2024-04-01", -3_252]])
    expect(ledger([invoice])).to eq([["2024-03-11", -3_252, 0, 0, 3_252]])
  end

  it "stops the renewals" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.cancel(on: day("2024-03-11"))

    expect(issued_on(sub.invoices_through(day("2024-12-31")))).to eq(%w[2024-03-01 2024-03-11])
  end

  it "on a renewal day bills nothing that day and credits nothing" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.cancel(on: day("2024-05-01"))

    expect(ledger(sub.invoices_through(day("2024-12-31")))).to eq([
      ["2024-03-01", 4_800, 0, 4_800, 0],
      ["2024-04-01", 4_800, 0, 4_800, 0]
    ])
  end

  it "on the start date means no invoice at all" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.cancel(on: day("2024-03-01"))

    expect(sub.invoices_through(day("2024-12-31"))).to eq([])
  end

  it "after a change the same day credits the seating the day started with" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: business)
    sub.cancel(on: day("2024-03-11"))
    invoices = sub.invoices_through(day("2024-12-31"))

    expect(issued_on(invoices)).to eq(%w[2024-03-01 2024-03-11])
    expect(lines(invoices.last)).to eq([[:credit, "team", 4, "2024-03-11", "2024-04-01", -3_252]])
  end

  it "credits what a change earlier in the period put in place" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: business)
    sub.cancel(on: day("2024-03-21"))
    invoice = invoice_on(sub.invoices_through(day("2024-12-31")), "2024-03-21")

    expect(lines(invoice)).to eq([[:credit, "business", 4, "2024-03-21", "2024-04-01", -3_548]])
  end

  it "leaves the credit it creates on the last invoice's balance" do
    sub = Billing::Subscription.new(plan: business, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: team)
    sub.cancel(on: day("2024-03-21"))

    # 3 522 from the downgrade, then 4 x 12.00 x 11/31 = 17.032
    expect(ledger(sub.invoices_through(day("2024-12-31"))).last)
      .to eq(["2024-03-21", -1_703, 0, 0, 5_225])
  end
end
